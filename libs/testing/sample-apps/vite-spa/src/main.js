// Client-side routing: the page shows the path it was opened at, so any deep link must load index.html.
document.querySelector('#route').textContent = `route ${window.location.pathname}`;
