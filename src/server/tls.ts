/**
 * TLS options from redis.conf's names (tls-port, tls-cert-file,
 * tls-key-file, tls-ca-cert-file, tls-auth-clients), turned into
 * node:tls server options. The TLS listener itself lives in server.ts beside
 * the TCP one; a TLS connection is then an ordinary Connection, since a
 * TLSSocket is a net.Socket.
 *
 * Files are read once at listen time; a missing or unreadable file is a
 * ConfigError at start-up, as Redis refuses to start when it cannot load its
 * certificates.
 */
import { readFileSync } from 'node:fs';
import type { TLSSocket, TlsOptions } from 'node:tls';
import { ConfigError } from '../errors.js';
import type { Config } from './config.js';

function readPem(config: Config, option: string): Buffer {
  const file = config.get(option);
  try {
    return readFileSync(file);
  } catch (e) {
    throw new ConfigError(`Failed to load ${option} '${file}': ${(e as Error).message}`);
  }
}

/**
 * The node:tls options for the configured certificates. tls-auth-clients:
 * `yes` requires a client certificate signed by tls-ca-cert-file, `optional`
 * asks for one and rejects only a bad one, `no` does not ask (Redis's
 * SSL_VERIFY_PEER | FAIL_IF_NO_PEER_CERT, SSL_VERIFY_PEER, SSL_VERIFY_NONE).
 */
export function tlsServerOptions(config: Config): TlsOptions {
  if (config.get('tls-cert-file') === '' || config.get('tls-key-file') === '') {
    throw new ConfigError('tls-port needs tls-cert-file and tls-key-file');
  }
  const auth = config.get('tls-auth-clients');
  const options: TlsOptions = {
    cert: readPem(config, 'tls-cert-file'),
    key: readPem(config, 'tls-key-file'),
    requestCert: auth !== 'no',
    rejectUnauthorized: auth === 'yes',
  };
  if (config.get('tls-ca-cert-file') !== '') options.ca = readPem(config, 'tls-ca-cert-file');
  else if (auth !== 'no') throw new ConfigError('tls-auth-clients needs tls-ca-cert-file to verify client certificates');
  return options;
}

/**
 * After the handshake: with tls-auth-clients `optional`, node accepted the
 * connection whatever the certificate; a client that presented one that
 * does not verify is refused, as OpenSSL's SSL_VERIFY_PEER does for Redis.
 */
export function optionalPeerRejected(config: Config, socket: TLSSocket): boolean {
  if (config.get('tls-auth-clients') !== 'optional' || socket.authorized) return false;
  const cert = socket.getPeerCertificate();
  return cert !== null && Object.keys(cert).length > 0;
}
