// A synthetic decisions file for benchmarks and big-file tests: 3 group
// columns, a score, a label and a decision, written with a streaming writer
// so a 10-million-row file never sits in memory. Deterministic.
import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';

const RACES = ['African-American', 'Caucasian', 'Hispanic', 'Asian', 'Native American', 'Other'];
const SEXES = ['Female', 'Male'];
const AGES = ['18-24', '25-34', '35-44', '45-64', '65+'];

/** Writes `rows` rows to `path`; resolves to the file's size in bytes. */
export async function generateCsv(path, rows) {
  const out = createWriteStream(path);
  let seed = 0x2545f491;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  let buf = 'id,race,sex,age_band,score,label,decision\n';
  for (let i = 0; i < rows; i++) {
    const race = next() % 6;
    const score = Math.min(1, (next() % 10000) / 10000 + race * 0.03);
    const label = next() % 1000 < score * 800 ? 1 : 0;
    buf += `${i},${RACES[race]},${SEXES[next() % 2]},${AGES[next() % 5]},${score.toFixed(4)},${label},${score >= 0.5 ? 'yes' : 'no'}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return statSync(path).size;
}
