// Next's ambient types (CSS imports, images) without depending on the generated next-env.d.ts,
// so `tsc --noEmit` works on a clean checkout before any `next build`.
/// <reference types="next" />
/// <reference types="next/image-types/global" />
