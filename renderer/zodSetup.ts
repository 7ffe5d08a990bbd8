// Imported first by main.tsx, before any schema is built: zod probes for eval with `Function('')`, which the
// CSP forbids, so the probe would only raise violation reports. zod is told up front that it runs without eval.
import { config } from 'zod';

config({ jitless: true });
