import { z } from 'zod';

// Extension pages forbid `new Function`; zod 4 would otherwise try it once per context.
z.config({ jitless: true });

export { z };
