// A certified OpenID Connect provider (panva/oidc-provider) on 127.0.0.1, for Ferry's interop
// tests: public native client "ferry-desktop", PKCE required, refresh-token rotation, revocation.
// Prints one JSON line {"issuer": ...} once it listens; stops on SIGTERM or when stdin closes.
import http from 'node:http';
import Provider from 'oidc-provider';

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;

const accounts = new Map();
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'ferry-desktop',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
    },
  ],
  pkce: { required: () => true },
  scopes: ['openid', 'offline_access', 'profile', 'email', 'documents'],
  claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: true },
    revocation: { enabled: true },
  },
  rotateRefreshToken: true,
  ttl: { AccessToken: 120, IdToken: 600, RefreshToken: 86400, Grant: 86400, Session: 86400, Interaction: 600 },
  async findAccount(ctx, id) {
    accounts.set(id, true);
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: `Test ${id}`, email: `${id}@example.org` };
      },
    };
  },
});
server.on('request', provider.callback());
process.stdout.write(JSON.stringify({ issuer }) + '\n');

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
