// Launches Debian's Chromium through playwright-core, as TOOLCHAIN.md says
// works on this machine: a fresh profile, no background networking (else it
// floods the closed network with refused connections).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** `options` are passed to launchPersistentContext (viewport, acceptDownloads…). */
export async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'biasaudit-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    ...options,
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close, profile };
}
