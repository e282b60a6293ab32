import { Loading } from '../components/ui/layout-bits';

export default function RootLoading() {
  return (
    <div className="mx-auto max-w-6xl px-4">
      <Loading />
    </div>
  );
}
