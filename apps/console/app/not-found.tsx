import { NotFoundView } from '../components/ui/not-found-view';

export default function NotFound() {
  return (
    <main className="px-4">
      <NotFoundView />
    </main>
  );
}
