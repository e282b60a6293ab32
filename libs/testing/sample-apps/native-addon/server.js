require("http").createServer((q,s)=>s.end("x")).listen(process.env.PORT)
