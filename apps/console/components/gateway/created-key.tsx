import type { CreatedGatewayKeyDto } from '@slipway/contracts';
import { Notice } from '../ui/alert';
import { Button } from '../ui/button';
import { CopyField } from '../ui/copy-button';

/** The only time a gateway key is on screen: the api keeps a hash. */
export function CreatedKey({ keyDto, onDone }: { keyDto: CreatedGatewayKeyDto; onDone: () => void }) {
  return (
    <div className="flex flex-col gap-3 rounded-md border border-amber-200 bg-amber-50/40 p-3">
      <Notice tone="warning">
        Copy the key <strong>{keyDto.name}</strong> now. You won&apos;t see it again.
      </Notice>
      <CopyField id="new-gateway-key" label="New gateway key" value={keyDto.token} />
      <p className="text-xs text-zinc-600">
        Use it as the API key of either SDK (x-api-key or Authorization: Bearer). The snippet above now uses it.
      </p>
      <div>
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
