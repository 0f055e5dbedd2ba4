import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A web server started from one of the deploy/ configs, serving the built site. */
export interface RunningHost {
  url: string;
  stop(): Promise<void>;
}

/** The path of the program `name` (on PATH or at one of `paths`: /usr/sbin is not on every user's PATH), or null. */
export function findBinary(name: string, ...paths: string[]): string | null {
  const found = paths.find((p) => existsSync(p));
  if (found) return found;
  return spawnSync('sh', ['-c', `command -v ${name}`]).stdout?.toString().trim() || null;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

async function waitForHttp(url: string, process: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (process.exitCode !== null) throw new Error(`the server exited (${process.exitCode}):\n${log()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no answer from ${url}:\n${log()}`);
}

/** The deploy/ config with its placeholders (port 8080, root /srv/digit-lab) pointed at this machine's. */
function localised(file: string, port: number, root: string): string {
  const text = readFileSync(file, 'utf8');
  const out = text.replaceAll('/srv/digit-lab', root).replaceAll('8080', String(port));
  if (out === text) throw new Error(`${file}: no port 8080 or root /srv/digit-lab to point at the test site`);
  return out;
}

/**
 * Runs nginx with deploy/nginx.conf inside an http block like Debian's (mime.types included), its root at `site`.
 * Checks the configuration first (`nginx -t`): a syntax error fails with nginx's own message.
 */
export async function startNginx(nginx: string, site: string): Promise<RunningHost> {
  const dir = mkdtempSync(join(tmpdir(), 'digit-lab-nginx-'));
  const port = await freePort();
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp));
  writeFileSync(join(dir, 'digit-lab.conf'), localised('deploy/nginx.conf', port, resolve(site)));
  const main = [
    process.getuid?.() === 0 ? 'user root;' : '',
    'daemon off;',
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events {}',
    'http {',
    '  include /etc/nginx/mime.types;',
    '  default_type application/octet-stream;',
    '  access_log off;',
    ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t === 'body' ? 'client_body' : t}_temp_path ${dir}/${t};`),
    `  include ${dir}/digit-lab.conf;`,
    '}',
  ].join('\n');
  writeFileSync(join(dir, 'nginx.conf'), main);
  const check = spawnSync(nginx, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')]);
  if (check.status !== 0) throw new Error(`nginx -t refused deploy/nginx.conf:\n${check.stderr.toString()}`);
  const server = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, server, () => stderr + (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''));
  return {
    url,
    stop: async () => {
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGQUIT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs Caddy with deploy/Caddyfile, its root at `site` (after `caddy validate`). */
export async function startCaddy(caddy: string, site: string): Promise<RunningHost> {
  const dir = mkdtempSync(join(tmpdir(), 'digit-lab-caddy-'));
  const port = await freePort();
  const config = join(dir, 'Caddyfile');
  writeFileSync(config, localised('deploy/Caddyfile', port, resolve(site)));
  const env = { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir };
  const check = spawnSync(caddy, ['validate', '--config', config, '--adapter', 'caddyfile'], { env });
  if (check.status !== 0) throw new Error(`caddy validate refused deploy/Caddyfile:\n${check.stderr.toString()}`);
  const server = spawn(caddy, ['run', '--config', config, '--adapter', 'caddyfile'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, server, () => stderr);
  return {
    url,
    stop: async () => {
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
