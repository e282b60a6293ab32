// Exits before listening, as an app with a missing setting does.
console.error('crash-on-start: fatal: required setting DATABASE_URL is not set; exiting with code 1');
process.exit(1);
