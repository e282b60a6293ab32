import { Loading } from '../../../components/ui/layout-bits';

export default function OrgLoading() {
  return <Loading />;
}
