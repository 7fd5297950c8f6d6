import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './app';
import { Child, isRoot, run, spawnChild, tempDirFor } from './processes';
import { waitFor } from './wait';

const NGINX = process.env.CV_NGINX_BIN ?? '/usr/sbin/nginx';

/**
 * The nginx config of a load balancer in front of `upstreams`: round robin,
 * WebSocket upgrade on /ws, X-Forwarded-For appended (the apps run with
 * TRUST_PROXY=loopback), every path (pid, logs, temp) inside `dir`.
 */
export function loadBalancerConfig(dir: string, port: number, upstreams: string[]): string {
  return `
${isRoot() ? 'user root root;' : ''}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream cryptovault {
${upstreams.map((u) => `    server ${u} max_fails=0;`).join('\n')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    location /ws/ {
      proxy_pass http://cryptovault;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 1h;
    }
    location / {
      proxy_pass http://cryptovault;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** Debian's nginx, started by the test with a generated config in a temp dir, in the foreground. */
export class Nginx {
  private constructor(
    private readonly child: Child,
    readonly port: number,
    readonly dir: string,
  ) {}

  /** A round-robin load balancer over the given `host:port` upstreams, on a free port. */
  static async loadBalancer(upstreams: string[]): Promise<Nginx> {
    const dir = await tempDirFor('cv-nginx-');
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, loadBalancerConfig(dir, port, upstreams));
    await run(NGINX, ['-t', '-e', join(dir, 'error.log'), '-c', conf, '-p', dir]);
    const child = spawnChild(NGINX, ['-e', join(dir, 'error.log'), '-c', conf, '-p', dir]);
    const nginx = new Nginx(child, port, dir);
    await waitFor(
      async () => {
        if (child.process.exitCode !== null) throw new Error(`nginx exited: ${child.output()}`);
        return (await fetch(`${nginx.url}/health`)).ok;
      },
      15_000,
      `nginx on :${port}`,
    );
    return nginx;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Graceful stop (SIGQUIT), then removes the temp dir. */
  async stop(): Promise<void> {
    await this.child.kill('SIGQUIT');
    await run('rm', ['-rf', this.dir]);
  }
}
