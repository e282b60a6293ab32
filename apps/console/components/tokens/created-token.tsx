import type { CreatedTokenDto } from '@slipway/contracts';
import { Notice } from '../ui/alert';
import { Button } from '../ui/button';
import { CopyField } from '../ui/copy-button';

/** The only time the secret is on screen: the api keeps a hash. */
export function CreatedToken({ token, onDone }: { token: CreatedTokenDto; onDone: () => void }) {
  return (
    <div className="flex flex-col gap-3">
      <Notice tone="warning">
        Copy the token <strong>{token.name}</strong> now. You will not be able to see it again.
      </Notice>
      <CopyField id="new-token" label="New token" value={token.token} />
      <div>
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
