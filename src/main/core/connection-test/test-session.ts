// One connection test's state and its phases, which the conductors in run-test.ts put in order:
// reach the server (address, proxy, TCP, TLS), authorise (Passportal's exchange), request, judge,
// and the report of whatever ended the test. It owns the test's bounds (the whole test, and each
// phase's), the secrets the report is cleaned of, and the connections it opened (close()).
import type net from 'node:net';
import { getProxyForUrl } from 'proxy-from-env';
import type { CertificateSummary, TestReport, TlsDetails, Verdict } from '../../../shared/types';
import { parseServerAddress } from '../address/parse-address';
import { authHeaders, secretsOf } from './auth-methods';
import { classifyError } from './classify-error';
import { describeAnswer, sendRequest, type HttpAnswer } from './http-request';
import { gatewayFacts, judgeAnswer } from './judge';
import { exchangeAccessKey } from './passportal-exchange';
import { productHint } from './product-hints';
import { redactReport, redactStep } from './redact';
import type { TestEnvironment, TestTarget } from './test-target';
import { fullServerMessage } from './server-message';
import { StepFailure, StepLog, tenths } from './steps';
import { TestConnections, type PostHandshakeEnd, type ReachedAddress } from './test-connections';
import { TlsFailure } from './tls-failure';
import { VERDICT_TEXTS, verdictTitle, type VerdictContext } from './verdicts';
import { clockEvidence } from '../../../shared/clock';
import { tlsInspection, type Inspection } from './tls-inspection';

const DEFAULT_TIMEOUT_MS = 20_000;

interface Phases {
  connect: number;
  response: number;
}

/**
 * Each phase gets its own bound inside the test's: connecting (DNS, TCP, tunnel, handshake) at most
 * half of it and 5 s, so a dead address fails as a connection problem with time left to say so;
 * the answer at most three quarters and 10 s, so a slow server is reported as slow (the phase named)
 * before the whole test runs out.
 */
function phaseBounds(total: number): Phases {
  return { connect: Math.min(5_000, Math.floor(total * 0.5)), response: Math.min(10_000, Math.floor(total * 0.75)) };
}

/** A connection to the server that may carry the request, and the access token it was given. */
export interface Authorised {
  socket: net.Socket;
  accessToken?: string;
}

export class TestSession {
  private readonly testedAt: string;
  private readonly warnings: string[] = [];
  /** Every secret of this test; the report is cleaned of all of them (redact.ts). More join as they appear. */
  private readonly secrets: string[];
  private readonly log: StepLog;
  private readonly phases: Phases;
  private readonly controller = new AbortController();
  private readonly overall: NodeJS.Timeout;
  private readonly deadline: number;
  private readonly onCancel = (): void => this.controller.abort();
  private readonly headers: Record<string, string>;
  private timedOut = false;
  private address: ReachedAddress | null = null;
  /** The HTTP proxy the test goes through (host:port), if any. */
  private proxyHost: string | null = null;
  private connections: TestConnections | null = null;
  /** A certificate refused in the handshake travels on its failure (tls-handshake.ts), for the report. */
  private refused: { details: TlsDetails; leaf: CertificateSummary | null } | null = null;
  private answer: HttpAnswer | null = null;
  private accessTokenExpiresAt: string | undefined;
  /** What failed() learnt, for withClock() to say again with the clocks. */
  private failure: Partial<VerdictContext> = {};

  constructor(
    private readonly target: TestTarget,
    private readonly env: TestEnvironment,
  ) {
    this.testedAt = (env.now ?? (() => new Date()))().toISOString();
    this.secrets = secretsOf(target.auth);
    if (target.clientCertificate?.passphrase) this.secrets.push(target.clientCertificate.passphrase);
    // Live progress gets each step cleaned the same way as the report, with the secrets known by then.
    this.log = new StepLog(target.onStep ? (step, elapsedMs) => target.onStep?.(redactStep(step, this.secrets), elapsedMs) : undefined);
    const total = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.phases = phaseBounds(total);
    this.deadline = performance.now() + total;
    // One signal for the whole test: the caller's cancel, or the overall time limit.
    this.overall = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, total);
    if (target.signal?.aborted) this.controller.abort();
    target.signal?.addEventListener('abort', this.onCancel, { once: true });
    this.headers = { 'user-agent': env.userAgent ?? 'Keybridge' };
  }

  /** The address step, the proxy, and a first connection with its handshake judged. */
  async reach(): Promise<net.Socket> {
    const { target, log } = this;
    const address = await log.run(
      'address',
      async () => {
        const parsed = parseServerAddress(target.serverAddress, target.endpoint, target.defaultPort);
        if (!parsed.ok) throw new StepFailure('invalid-address', parsed.message);
        if (parsed.insecureHttp && !target.allowInsecureHttp) throw new StepFailure('insecure-http-refused', `${parsed.testUrl} is plain http://`);
        return parsed;
      },
      (a) => a.testUrl,
    );
    this.address = address;
    if (address.insecureHttp) this.warnings.push('Insecure HTTP was allowed: the secret crossed the network unencrypted.');
    const proxyUrl = resolveProxy(target.proxy, address.testUrl);
    if (proxyUrl?.password) this.secrets.push(decodeURIComponent(proxyUrl.password));
    this.proxyHost = proxyUrl?.host ?? null;
    const timedOut = (): boolean => this.timedOut;
    this.connections = new TestConnections(
      { address, proxy: proxyUrl, trust: target.trust, clientCertificate: target.clientCertificate, log, connectMs: this.phases.connect, signal: this.controller.signal, deadline: this.deadline, timedOut },
      this.warnings,
    );
    return this.connections.open(true);
  }

  /** Passportal's exchange of the signed access key for an access token, on its own connection; other methods pass. */
  async authorise(socket: net.Socket): Promise<Authorised | TestReport> {
    const { target } = this;
    if (target.auth.method !== 'passportal-hmac') return { socket };
    const connections = this.opened();
    const exchanged = await exchangeAccessKey(socket, {
      auth: target.auth,
      origin: this.address!.origin,
      headers: this.headers,
      log: this.log,
      connections,
      responseMs: this.phases.response,
      signal: this.controller.signal,
      secrets: this.secrets,
    });
    if ('end' in exchanged) return this.postHandshakeEnd(exchanged);
    if (!exchanged.ok) {
      this.answer = exchanged.answer;
      return this.report(exchanged.verdict, { status: exchanged.answer.status, serverMessage: exchanged.serverMessage, ...gatewayFacts(exchanged.answer, this.secrets) });
    }
    this.secrets.push(exchanged.accessToken);
    this.accessTokenExpiresAt = exchanged.expiresAt;
    return { socket: await connections.open(false), accessToken: exchanged.accessToken };
  }

  /** The GET (again on a new connection when the server asks for a client certificate after the handshake). */
  async request({ socket, accessToken }: Authorised, maxBodyBytes?: number): Promise<HttpAnswer | TestReport> {
    const { target, log } = this;
    const connections = this.opened();
    const url = this.address!.testUrl;
    const exchangeStep = log.ms('http');
    const get = (over: net.Socket, note = ''): Promise<HttpAnswer> =>
      log.run(
        'http',
        () =>
          connections.afterHandshake(
            sendRequest({
              url,
              method: 'GET',
              headers: { ...this.headers, ...authHeaders(target.auth, accessToken) },
              socket: over,
              timeoutMs: this.phases.response,
              signal: this.controller.signal,
              ...(maxBodyBytes ? { maxBodyBytes } : {}),
            }),
          ),
        (a) => `${note}${exchangeStep === null ? '' : 'access token issued; '}${describeAnswer('GET', a, this.secrets)}`,
        // The step's time is the wait for the answer, the same figure as the report's "first byte".
        (a) => a.firstByteMs,
      );
    const got = await connections.postHandshakeAuth(await get(socket), get);
    if ('end' in got) return this.postHandshakeEnd(got);
    this.answer = got.answer;
    return got.answer;
  }

  /** The answer's verdict: the product's success rule, client-certificate refusals, a non-JSON 200. */
  async judge(answer: HttpAnswer): Promise<TestReport> {
    const { target } = this;
    const judged = judgeAnswer(answer, target.successRule, this.secrets);
    // A server that answers "certificate required" with an error page (nginx's 400) to a client
    // that sent one has refused that certificate ("The SSL certificate error").
    if (judged.verdict === 'tls-client-cert-required' && target.clientCertificate) judged.verdict = 'tls-client-cert-rejected';
    // The server's request is read on demand (TLS 1.3: decrypted); the verdict's message names it.
    const connections = this.opened();
    const shown = connections.tls;
    if (judged.verdict.startsWith('tls-client-cert') && shown && !shown.clientCertificateRequest) {
      const request = await connections.clientCertificateRequest();
      if (request) shown.clientCertificateRequest = request;
    }
    if (judged.verdict === 'ok' && !/json/i.test(answer.headers['content-type'] ?? '')) {
      this.warnings.push('The server answered, but not with JSON: check that the address points to the key manager API.');
    }
    // A server error (a gateway's 502, 503, 504) is the Request step's: the credentials were never judged.
    if (judged.step === 'http') this.log.fail('http', (detail) => (judged.detail ? `${detail}; ${judged.detail}` : detail));
    else this.log.record('auth', judged.verdict === 'ok' ? 'passed' : 'failed', 0, judged.detail);
    return this.report(judged.verdict, judged.context);
  }

  /** The report of whatever ended the test early: a step's failure, the handshake's judgement, a cancel, the time limit. */
  /**
   * A verdict about the certificate's dates: is it this workstation's clock? The server's Date
   * header (read without any secret) or the certificate's start of validity says (shared/clock.ts).
   */
  async withClock(report: TestReport): Promise<TestReport> {
    if ((report.verdict !== 'tls-expired' && report.verdict !== 'tls-not-yet-valid') || !this.connections) return report;
    const serverDate = await this.connections.serverDate();
    const clock = clockEvidence(Date.now(), serverDate, this.shownLeaf()?.validFrom ?? null, report.verdict);
    return clock ? { ...this.report(report.verdict, { ...this.failure, clock }), clock } : report;
  }

  failed(error: unknown): TestReport {
    let failure: StepFailure;
    if (error instanceof StepFailure) failure = error;
    else {
      const c = classifyError(error);
      failure = new StepFailure(c.verdict, c.errorCode ?? c.verdict, { errorCode: c.errorCode, phase: c.phase });
    }
    // What the judgement learnt (accepted issuers, the alert, legacy versions) goes to the message.
    const { silentAfterClientHello: _internal, ...facts } = failure instanceof TlsFailure ? failure.facts : {};
    this.refused = (error as { handshake?: { details: TlsDetails; leaf: CertificateSummary | null } }).handshake ?? null;
    if (failure.verdict === 'test-cancelled' && this.timedOut) {
      return this.report('timeout', { phase: 'the whole test', errorCode: 'ETIMEDOUT' });
    }
    const expectedPin = failure.verdict === 'tls-pin-mismatch' ? (this.target.trust.pinnedSpki ?? undefined) : undefined;
    this.failure = {
      errorCode: failure.extra.errorCode,
      phase: failure.extra.phase,
      status: failure.extra.status,
      detail: failure.verdict === 'invalid-address' ? failure.detail : undefined,
      expectedPin,
      actualPin: this.shownLeaf()?.spkiSha256,
      ...facts,
    };
    return this.report(failure.verdict, this.failure, expectedPin);
  }

  /** Ends the test's timer and cancel listener and closes every connection it opened. */
  close(): void {
    clearTimeout(this.overall);
    this.target.signal?.removeEventListener('abort', this.onCancel);
    this.connections?.close();
  }

  private opened(): TestConnections {
    if (!this.connections) throw new Error('the server was not reached yet');
    return this.connections;
  }

  private shownTls(): TlsDetails | null {
    return this.refused?.details ?? this.connections?.tls ?? null;
  }

  private shownLeaf(): CertificateSummary | null {
    return this.refused?.leaf ?? this.connections?.leaf ?? null;
  }

  /** The post-handshake retry decided the test: the certificate cannot be given this way. */
  private postHandshakeEnd(ended: PostHandshakeEnd): TestReport {
    this.answer = ended.first;
    return this.report('tls-client-cert-required', { status: 403, postHandshake: ended.end });
  }

  private report(verdict: Verdict, context: Partial<VerdictContext>, expectedPin?: string): TestReport {
    const { address, answer, log } = this;
    const leaf = this.shownLeaf();
    const tls = this.shownTls();
    const full: VerdictContext = {
      host: address?.hostname ?? '',
      port: address?.port ?? 0,
      url: address?.testUrl ?? '',
      ...(leaf ? { certificateNames: leaf.subjectAltNames } : {}),
      ...requestFacts(tls?.clientCertificateRequest),
      verifyCertificate: this.target.trust.verifyCertificate,
      pinned: Boolean(this.target.trust.pinnedSpki),
      ...(this.proxyHost ? { proxy: this.proxyHost } : {}),
      ...context,
    };
    const text = VERDICT_TEXTS[verdict];
    // A chain from a TLS-inspecting proxy: said first, with the fix that keeps verification on.
    const inspection = tlsInspection(tls?.chain?.length ? tls.chain : leaf ? [leaf] : []);
    const inspected = inspection ? inspectionWords(verdict, inspection) : null;
    return redactReport(
      {
        ok: verdict === 'ok',
        verdict,
        title: verdictTitle(verdict, full),
        message: inspected?.message ? `${inspected.message} ${text.message(full)}` : text.message(full),
        hint: inspected?.hint ?? productHint(verdict, full, this.target.hints, this.env.workstation) ?? text.hint(full),
        url: address?.testUrl ?? null,
        httpStatus: answer?.status ?? null,
        warnings: [...new Set([...this.warnings, ...(inspected?.warning ? [inspected.warning] : [])])],
        certificate: leaf,
        tls,
        steps: log.list(),
        timings: {
          dns: log.ms('dns'),
          tcp: log.ms('tcp'),
          tls: log.ms('tls'),
          firstByte: answer ? tenths(answer.firstByteMs) : null,
          total: log.total(),
        },
        ...(expectedPin ? { expectedPin } : {}),
        ...(this.accessTokenExpiresAt ? { accessTokenExpiresAt: this.accessTokenExpiresAt } : {}),
        ...fullMessageOf(answer, context.serverMessage),
        ...(answer ? { response: { status: answer.status, headers: Object.entries(answer.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)] as [string, string]])), body: answer.body } } : {}),
        durationMs: log.total(),
        testedAt: this.testedAt,
      },
      this.secrets,
    );
  }
}

/** What the handshake showed of a client-certificate request, for the verdict's message. */
function requestFacts(request: TlsDetails['clientCertificateRequest']): Partial<VerdictContext> {
  if (!request) return {};
  return {
    ...(request.acceptedIssuers.length ? { acceptedIssuers: request.acceptedIssuers } : {}),
    ...(request.omitted ? { acceptedOmitted: request.omitted } : {}),
    ...(request.clientIssuer ? { clientIssuer: request.clientIssuer } : {}),
    ...(request.clientIssuerAccepted !== undefined ? { clientIssuerAccepted: request.clientIssuerAccepted } : {}),
  };
}

/** The proxy for this URL: an explicit one, none, or the environment's (HTTPS_PROXY, NO_PROXY). */
function resolveProxy(explicit: string | null | undefined, url: string): URL | null {
  if (explicit === null) return null;
  const chosen = explicit ?? getProxyForUrl(url);
  if (!chosen) return null;
  try {
    const parsed = new URL(chosen.includes('://') ? chosen : `http://${chosen}`);
    if (parsed.protocol !== 'http:') throw new Error('unsupported');
    return parsed;
  } catch {
    throw new StepFailure('proxy-failure', 'the proxy address is not a valid http:// URL');
  }
}

/** The server's full message, when the report's one had to be shortened or cleaned. */
function fullMessageOf(answer: HttpAnswer | null, shown: string | undefined): { serverMessageFull?: string } {
  if (!answer || !shown) return {};
  const full = fullServerMessage(answer.body, answer.headers['content-type']);
  return full && full.replace(/\s+/g, ' ') !== shown ? { serverMessageFull: full } : {};
}

/** Verdicts a re-signing proxy explains: the certificate this workstation sees is the proxy's. */
const INSPECTION_EXPLAINS = new Set<Verdict>(['tls-self-signed', 'tls-untrusted-root', 'tls-incomplete-chain', 'tls-hostname-mismatch', 'tls-pin-mismatch']);

function inspectionWords(verdict: Verdict, inspection: Inspection): { message?: string; hint?: string; warning?: string } | null {
  const seen = `Your network inspects TLS (issuer: ${inspection.issuer}, ${inspection.product}): the key manager's own certificate is not what this workstation sees.`;
  if (verdict === 'ok') return { warning: `${seen} The test passed through it; the portal, on its own network, may see the key manager's real certificate.` };
  if (!INSPECTION_EXPLAINS.has(verdict)) return null;
  return {
    message: seen,
    hint: `Trust the inspection's root as your company installed it: turn on "Also trust this computer's certificate store" in the TLS tab, or add the company's root CA there (ask IT for it). Do not set Verify certificate to No: that would also accept anyone else's certificate.${verdict === 'tls-pin-mismatch' ? ' A pinned key cannot match through the inspection: test from a network that does not inspect TLS, or forget the pin.' : ''}`,
  };
}
