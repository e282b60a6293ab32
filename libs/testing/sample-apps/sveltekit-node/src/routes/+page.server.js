// Runs on the server for every request: the page proves server-side rendering by the node adapter.
export function load() {
  return { node: process.versions.node };
}
