// Rendered on each request, so the answer proves the standalone server runs (not a static export).
export const dynamic = 'force-dynamic';

export default function Home() {
  return <h1>nextjs-standalone on node {process.versions.node}</h1>;
}
