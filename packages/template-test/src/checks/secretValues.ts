// No value given as a task secret may reach the repository or the task log: secrets go to the secret manager.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, pass, type StaticCheck } from './types.ts';

export const secretValuesCheck: StaticCheck = {
  id: 'secret-values',
  rule: 'no secret value appears in a generated file or the task log',
  appliesTo: ws =>
    Object.keys(ws.secrets).length
      ? undefined
      : 'no secrets were given (--secrets)',
  run(ws) {
    // Short values (a flag, "x") would match by accident; the engine refuses nothing, but we only look for real ones.
    const values = Object.entries(ws.secrets).filter(([, v]) => v.length >= 6);
    const results = [];
    for (const file of ws.files) {
      const content = readFileSync(join(ws.dir, file), 'latin1');
      for (const [key] of values.filter(([, v]) => content.includes(v))) {
        results.push(fail(this, `holds the value of secret ${key}`, file));
      }
    }
    for (const [key] of values.filter(([, v]) =>
      ws.log.some(l => l.includes(v)),
    )) {
      results.push(fail(this, `the task log holds the value of secret ${key}`));
    }
    return results.length ? results : [pass(this)];
  },
};
