import type { BlockList } from 'node:net';

export declare const CLIENT_ADDRESS_HEADER: string;
export declare function trustedProxies(text: string | undefined): BlockList;
export declare function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string;
