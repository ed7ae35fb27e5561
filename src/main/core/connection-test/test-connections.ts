// The connections of one test: dns -> tcp -> proxy -> tls, recorded as steps, and what explains a
// TLS failure from the server's side (tls-failure.ts): a second, observed handshake when the first
// was not observed, bounded TLS 1.0/1.1 probes for a server that says nothing, the judgement of a
// failure that comes after the handshake, and the TLS 1.2 retry for Apache's post-handshake
// authentication. run-test.ts conducts; this owns the sockets, and closes them all.
import net from 'node:net';
import type { CertificateSummary, TlsDetails, Verdict } from '../../../shared/types';
import type { ParsedAddress } from '../address/parse-address';
import { classifyError } from './classify-error';
import type { HttpAnswer } from './http-request';
import { connectTcp, lookup, openTunnel } from './network';
import { StepFailure, type StepLog } from './steps';
import { describeRequest, judgeTlsFailure, TlsFailure } from './tls-failure';
import {
  diagnoseHandshake,
  handshake,
  probeLegacyVersion,
  requestDetails,
  type ClientCertificate,
  type Diagnosis,
  type Handshake,
  type HandshakeOptions,
  type TrustOptions,
} from './tls-handshake';

export type ReachedAddress = Extract<ParsedAddress, { ok: true }>;

export interface ConnectionSetting {
  address: ReachedAddress;
  proxy: URL | null;
  trust: TrustOptions;
  clientCertificate?: ClientCertificate;
  log: StepLog;
  /** Bound for each connect and handshake. */
  connectMs: number;
  signal: AbortSignal;
  /** performance.now() at which the whole test ends. */
  deadline: number;
  /** Whether the test's overall time limit fired (a cancel from it is not the admin's). */
  timedOut: () => boolean;
}

/** The end of a test that the post-handshake retry decided: why the certificate cannot be given. */
export type PostHandshakeEnd = { end: 'asked' | 'no-tls12'; first: HttpAnswer };

/** Failures of an unobserved handshake that an observed one can explain. */
const DIAGNOSED = new Set<Verdict>(['connection-reset', 'tls-handshake-failure', 'tls-client-cert-required', 'tls-client-cert-rejected']);

/** Apache's words when a TLS 1.3 client cannot do post-handshake authentication. */
const POST_HANDSHAKE_AUTH = /post-handshake authentication/i;

export class TestConnections {
  /** The tested connection's TLS facts and certificate, once a handshake was recorded. */
  tls: TlsDetails | null = null;
  leaf: CertificateSummary | null = null;
  private readonly sockets: net.Socket[] = [];
  private last: Handshake | null = null;
  // After Apache's post-handshake 403: every later connection capped at TLS 1.2, where the server
  // asks for the certificate by renegotiation (which the tap cannot read, but the 403 said so).
  private cap: HandshakeOptions = {};
  private askedElsewhere = false;

  constructor(
    private readonly setting: ConnectionSetting,
    /** The report's warnings, which the handshake adds to. */
    private readonly warnings: string[],
  ) {}

  /** dns -> tcp -> proxy -> tls; `record` is false for a second connection (Passportal). */
  async open(record: boolean, options: HandshakeOptions = this.cap): Promise<net.Socket> {
    const { address: a, log } = this.setting;
    const stream = await this.connect(record);
    if (a.insecureHttp) {
      if (record) log.skip('tls', 'plain http:// (no TLS)');
      return stream;
    }
    const work = (): Promise<Handshake> =>
      handshake(stream, a.hostname, this.servername(), this.setting.trust, this.setting.clientCertificate, this.setting.connectMs, this.setting.signal, options);
    let shaken: Handshake;
    try {
      shaken = record ? await log.run('tls', work, describeHandshake) : await work();
    } catch (error) {
      throw await this.explainHandshakeFailure(error, record, options);
    }
    this.sockets.push(shaken.socket);
    this.last = shaken;
    if (record) {
      this.tls = shaken.details;
      this.leaf = shaken.leaf;
      this.warnings.push(...shaken.warnings);
    }
    return shaken.socket;
  }

  /** The protocol of the last handshake. */
  negotiated(): string | null {
    return this.last?.details.protocol ?? null;
  }

  /**
   * A failure after the handshake may be the server refusing the client certificate: TLS 1.3
   * servers judge it after Keybridge's Finished, so their alert (or silent close) comes with the
   * first read. Judged again with what the handshake showed (tls-failure.ts).
   */
  async afterHandshake<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      const shaken = this.last;
      const cause = (error as { cause?: unknown }).cause;
      if (!shaken || !(error instanceof StepFailure) || cause === undefined) throw error;
      const classified = classifyError(cause);
      if (classified.alert === undefined && !this.askedElsewhere && classified.verdict !== 'connection-reset') throw error;
      const observation = shaken.observation();
      if (observation) {
        const refused = classified.alert !== undefined || this.askedElsewhere || observation.certificateRequest !== null;
        if (!refused) throw error;
        const judged = judgeTlsFailure(cause, observation, shaken.offered(), 'after-handshake', this.askedElsewhere);
        // Nothing learnt beyond what the request step said: keep its words.
        throw judged.verdict === error.verdict && judged.facts.alert === undefined ? error : judged;
      }
      // The connection's own judgement first; a second look may only add what the server asked for.
      const own = judgeTlsFailure(cause, null, shaken.offered(), 'after-handshake', this.askedElsewhere);
      const judged = await this.secondLook(own, shaken.leaf?.spkiSha256 ?? null, 'after-handshake', this.cap);
      throw judged === own && own.verdict === error.verdict && own.facts.alert === undefined ? error : judged;
    }
  }

  /**
   * Apache asks for a client certificate per location after a TLS 1.3 handshake (post-handshake
   * authentication), which Node's TLS does not offer: it answers 403. Over TLS 1.2 it asks by
   * renegotiation instead, which works; without a certificate there is nothing to retry. Either
   * the answer to use (and the socket it came on), or why the test ends here.
   */
  async postHandshakeAuth(first: HttpAnswer, send: (over: net.Socket, note: string) => Promise<HttpAnswer>): Promise<{ answer: HttpAnswer; socket?: net.Socket } | PostHandshakeEnd> {
    if (!(first.status === 403 && POST_HANDSHAKE_AUTH.test(first.body) && this.negotiated() === 'TLSv1.3')) return { answer: first };
    const { log } = this.setting;
    const reason = `${this.setting.address.hostname} asks for a client certificate for this path only after the handshake (TLS 1.3 post-handshake authentication), which Keybridge's TLS library does not offer`;
    if (!this.setting.clientCertificate) {
      log.record('auth', 'failed', 0, `HTTP 403: ${reason}`);
      return { end: 'asked', first };
    }
    this.cap = { maxVersion: 'TLSv1.2' };
    this.askedElsewhere = true;
    let again: net.Socket;
    try {
      again = await this.open(true, this.cap);
    } catch (error) {
      if (error instanceof StepFailure && (error.verdict === 'test-cancelled' || error.verdict === 'timeout')) throw error;
      // A server that speaks only TLS 1.3 cannot ask the other way.
      if (error instanceof StepFailure) log.record('tls', 'failed', log.ms('tls') ?? 0, `again capped at TLS 1.2 (post-handshake authentication): ${error.detail}`);
      log.record('auth', 'failed', 0, `HTTP 403: ${reason}; and it does not accept TLS 1.2, where it would ask by renegotiation`);
      return { end: 'no-tls12', first };
    }
    this.warnings.push(`${reason}; tested again over TLS 1.2, where the server asks by renegotiation.`);
    return { answer: await send(again, 'again over TLS 1.2 (post-handshake authentication); '), socket: again };
  }

  /**
   * What the server asked of a client certificate, for a verdict about one that came from an HTTP
   * answer (nginx's 400): read from the handshake, or from a second look at the same server.
   */
  async clientCertificateRequest(): Promise<TlsDetails['clientCertificateRequest']> {
    const request = this.last?.clientCertificateRequest();
    if (request) return request;
    const diagnosis = await this.diagnose(this.cap);
    return diagnosis && diagnosis.serverKey === this.last?.leaf?.spkiSha256 ? requestDetails(diagnosis.observation, diagnosis.offered) : undefined;
  }

  /**
   * The server's clock, for a verdict about the certificate's dates: its HTTP Date header, read on
   * a connection of its own that checks no certificate and sends no secret (no Authorization, no
   * client certificate: a HEAD of the test path). Bounded in time and size; null when it says none.
   */
  async serverDate(): Promise<Date | null> {
    const { address: a, connectMs, signal } = this.setting;
    if (a.insecureHttp) return null;
    try {
      const stream = await this.connect(false);
      const shaken = await handshake(stream, a.hostname, this.servername(), { ...this.setting.trust, verifyCertificate: false, pinnedSpki: null }, undefined, connectMs, signal, this.cap);
      this.sockets.push(shaken.socket);
      const host = net.isIPv6(a.hostname) ? `[${a.hostname}]` : a.hostname;
      const head = await readHead(shaken.socket, `HEAD ${new URL(a.testUrl).pathname} HTTP/1.1\r\nHost: ${host}${a.port === 443 ? '' : `:${a.port}`}\r\nConnection: close\r\n\r\n`, connectMs);
      const date = /^date:[ \t]*([^\r\n]{1,64})/im.exec(head)?.[1];
      const parsed = date ? new Date(date) : null;
      return parsed && Number.isFinite(parsed.getTime()) ? parsed : null;
    } catch {
      return null;
    }
  }

  /** Closes every socket this test opened. */
  close(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  private servername(): string | undefined {
    const host = this.setting.address.hostname;
    return net.isIP(host) ? undefined : host;
  }

  /** dns -> tcp -> proxy; `record` is false for a second connection (Passportal, the probes). */
  private async connect(record: boolean): Promise<net.Socket> {
    const { address: a, proxy, log, connectMs, signal } = this.setting;
    const step = <T>(id: Parameters<StepLog['run']>[0], work: () => Promise<T>, describe: (v: T) => string): Promise<T> =>
      record ? log.run(id, work, describe) : work();
    // With a proxy, the TCP connection goes to the proxy, which resolves and reaches the server.
    const peer = proxy ? { host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port || 80) } : { host: a.hostname, port: a.port };

    let addresses: string[];
    if (net.isIP(peer.host)) {
      if (record) log.skip('dns', `${peer.host} is an IP address`);
      addresses = [peer.host];
    } else {
      addresses = await step('dns', () => lookup(peer.host, connectMs, signal), (found) => `${peer.host} → ${found.join(', ')}`);
    }
    const { socket } = await step(
      'tcp',
      () => connectTcp(addresses, peer.port, connectMs, signal),
      (c) => `connected to ${net.isIPv6(c.address) ? `[${c.address}]` : c.address}:${peer.port}${proxy ? ' (proxy)' : ''}`,
    );
    this.sockets.push(socket);
    let stream: net.Socket = socket;
    if (proxy) {
      stream = await step('proxy', () => openTunnel(socket, proxy, a.hostname, a.port, connectMs, signal), () => `tunnel to ${a.hostname}:${a.port} via ${proxy.host}`);
      this.sockets.push(stream);
    }
    return stream;
  }

  /** A failed handshake, explained as far as the server's side of it allows. */
  private async explainHandshakeFailure(error: unknown, record: boolean, options: HandshakeOptions): Promise<unknown> {
    const { log } = this.setting;
    let failure = error;
    // An unobserved handshake (the fast path) that failed in a way the server's handshake can
    // explain: look again, observed, on a connection of its own.
    const unobserved = error instanceof TlsFailure && !error.seen?.observation;
    if (record && unobserved && DIAGNOSED.has(error.verdict)) {
      const key = error.seen?.serverKey ?? null;
      // Closed before the server showed a certificate: a server that speaks only TLS 1.0/1.1 does that.
      if (!key && error.verdict === 'connection-reset') {
        failure = Object.assign(new TlsFailure('connection-reset', 'the server closed the connection before showing its certificate', error.extra, { silentAfterClientHello: true }), { cause: error.cause });
      } else failure = await this.secondLook(error, key, 'handshake', options);
      if (failure !== error) log.record('tls', 'failed', log.ms('tls') ?? 0, (failure as TlsFailure).detail);
    }
    if (record && !options.maxVersion && failure instanceof TlsFailure && (failure.facts.silentAfterClientHello || failure.verdict === 'tls-protocol-version')) {
      return this.probeLegacy(failure);
    }
    return failure;
  }

  /** The time left for a second look or a probe, halved per connection; null when too little is left. */
  private spareBound(): number | null {
    const left = this.setting.deadline - performance.now() - 250;
    return left < 300 ? null : Math.floor(Math.min(this.setting.connectMs, left / 2));
  }

  /** An observed second handshake that explains a failure of an unobserved one (nothing is sent on it). */
  private async diagnose(options: HandshakeOptions): Promise<Diagnosis | null> {
    const { address: a, signal } = this.setting;
    const bound = this.spareBound();
    if (bound === null || a.insecureHttp) return null;
    try {
      const stream = await this.connect(false);
      return await diagnoseHandshake(stream, a.hostname, this.servername(), this.setting.trust, this.setting.clientCertificate, bound, signal, options);
    } catch (error) {
      if (error instanceof StepFailure && error.verdict === 'test-cancelled' && !this.setting.timedOut()) throw error;
      return null;
    }
  }

  /**
   * A failure of an unobserved connection judged again with a second, observed handshake: used only
   * when that one reached the same server key, it never turns a client-certificate verdict the
   * connection itself gave into another, and the detail says where the evidence came from.
   */
  private async secondLook(failure: TlsFailure, key: string | null, phase: 'handshake' | 'after-handshake', options: HandshakeOptions): Promise<TlsFailure> {
    const amended = (with_: TlsFailure, note: string): TlsFailure => Object.assign(new TlsFailure(with_.verdict, `${with_.detail}${note}`, with_.extra, with_.facts), { cause: failure.cause });
    if (!key) return failure;
    const diagnosis = await this.diagnose(options);
    if (!diagnosis || diagnosis.serverKey === null) return amended(failure, '; a second handshake, to see what the server asked for, could not be made');
    if (diagnosis.serverKey !== key) return amended(failure, '; a second handshake reached a server with another key and was not used');
    const second = judgeTlsFailure(failure.cause, diagnosis.observation, diagnosis.offered, phase, this.askedElsewhere);
    if (failure.verdict.startsWith('tls-client-cert') && !second.verdict.startsWith('tls-client-cert')) return failure;
    // Nothing new: the connection's own words stand.
    if (second.verdict === failure.verdict && !second.facts.acceptedIssuers) return failure;
    return amended(second, ' (seen on a second handshake with the same server key)');
  }

  /**
   * The server closed without a word after the ClientHello (a Java server that speaks only TLS
   * 1.0/1.1 does that), or refused every version Keybridge offers. Two bounded handshakes offering
   * only TLS 1.0/1.1 (no secret, no client certificate) tell a legacy-only server from a reset, and
   * name the versions it speaks. They fit in what is left of the test's time.
   */
  private async probeLegacy(failure: TlsFailure): Promise<TlsFailure> {
    const { address: a, log, signal } = this.setting;
    const bound = this.spareBound();
    if (bound === null) return failure;
    const probe = async (min: 'TLSv1' | 'TLSv1.1', max: 'TLSv1' | 'TLSv1.1'): Promise<string | null> => {
      try {
        return await probeLegacyVersion(await this.connect(false), a.hostname, this.servername(), min, max, bound, signal);
      } catch (error) {
        if (error instanceof StepFailure && error.verdict === 'test-cancelled' && !this.setting.timedOut()) throw error;
        return null;
      }
    };
    const versions: string[] = [];
    const highest = await probe('TLSv1', 'TLSv1.1');
    if (highest) versions.push(highest);
    if (highest === 'TLSv1.1' && !this.setting.timedOut() && (await probe('TLSv1', 'TLSv1'))) versions.unshift('TLSv1');
    const shown = versions.map((v) => (v === 'TLSv1' ? 'TLS 1.0' : v.replace('TLSv', 'TLS ')));
    const detail = shown.length
      ? `${failure.detail}; a second handshake offering only TLS 1.0 and 1.1 (no secret sent) was answered with ${shown.join(' and ')}`
      : `${failure.detail}; it did not accept a handshake offering only TLS 1.0 and 1.1 either`;
    log.record('tls', 'failed', log.ms('tls') ?? 0, detail);
    if (!shown.length) return new TlsFailure(failure.verdict, detail, failure.extra, failure.facts);
    return new TlsFailure('tls-protocol-version', detail, failure.extra, { ...failure.facts, legacyVersions: shown });
  }
}

/** The TLS step's evidence: protocol, cipher, trust, and what the server asked of the client. */
function describeHandshake(h: Handshake): string {
  const request = h.details.clientCertificateRequest;
  let asked = '';
  if (request) {
    // What was sent first: the step's detail is bounded, and a long list of issuers comes last.
    const sent = !request.sent
      ? 'no client certificate configured'
      : request.clientIssuer
        ? `client certificate sent, issued by ${request.clientIssuer}${request.clientIssuerAccepted === false ? ' (not one the server named)' : ''}`
        : 'client certificate sent';
    asked = `; ${sent}; ${describeRequest(request.acceptedIssuers, request.omitted)}`;
  }
  return `${h.details.protocol ?? 'TLS'} ${h.details.cipher ?? ''}; trusted by: ${h.details.trustSource}${asked}`;
}

/** Sends `request` and reads the answer's head: at most 8 KiB, within `ms`. */
function readHead(socket: net.Socket, request: string, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(text);
    };
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n') || text.length >= 8192) done();
    };
    const timer = setTimeout(done, ms);
    socket.on('data', onData);
    socket.once('end', done);
    socket.once('error', done);
    socket.write(request);
  });
}
