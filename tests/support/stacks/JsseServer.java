// Java JSSE servers for the stack fixture (stacks.ts), run with the source launcher:
//   java JsseServer.java <httpsserver|sslsocket> <config file> <recorder port>
// The config file: first line the API token; then one line per case, tab-separated:
//   case  port  protocols(comma-separated)  needClientAuth(true|false)  chainPem  keyPem  clientCaPem|-
// httpsserver: com.sun.net.httpserver.HttpsServer, one per port (HttpsConfigurator sets the
//   protocols and setNeedClientAuth). sslsocket: a plain SSLServerSocket with a tiny HTTP/1.1 reader,
//   the way Tomcat's blocking connector uses JSSE (setNeedClientAuth(true) on client-cert ports).
// Keys and certificates are read from the PEM files into an in-memory PKCS#12 KeyStore (SunX509 key
// manager: it serves an expired certificate as configured); the client CA into a trust store, so the
// CertificateRequest names it. TLS 1.0/1.1 are removed from jdk.tls.disabledAlgorithms (in this JVM
// only, before JSSE starts) when a port asks for them; every port sets its protocols explicitly, so
// the others stay at TLS 1.2/1.3. Each request is reported (one JSON line, with the Authorization
// value: test tokens) to the fixture's recorder on 127.0.0.1 and acknowledged before the answer
// goes out, as the Node backend behind the proxies records before it answers. Prints
// "READY <version>" once every port listens.
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

public class JsseServer {
    record Case(String name, int port, String[] protocols, boolean needClientAuth, String chain, String key, String ca) {}

    record Response(int status, Map<String, String> headers, byte[] body) {}

    static final char[] PASS = "keybridge".toCharArray();
    static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    });
    static String token;
    static int recorderPort;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        token = lines.get(0);
        recorderPort = Integer.parseInt(args[2]);
        List<Case> cases = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            cases.add(new Case(f[0], Integer.parseInt(f[1]), f[2].split(","), Boolean.parseBoolean(f[3]), f[4], f[5], f[6].equals("-") ? null : f[6]));
        }
        if (cases.stream().anyMatch(c -> Arrays.asList(c.protocols).contains("TLSv1") || Arrays.asList(c.protocols).contains("TLSv1.1"))) {
            String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
            Security.setProperty("jdk.tls.disabledAlgorithms", Arrays.stream(disabled.split(","))
                .map(String::trim).filter(s -> !s.equals("TLSv1") && !s.equals("TLSv1.1")).collect(Collectors.joining(", ")));
        }
        for (Case c : cases) {
            SSLContext ctx = context(c);
            if (mode.equals("httpsserver")) startHttpsServer(c, ctx);
            else startSocketServer(c, ctx);
        }
        String what = mode.equals("httpsserver") ? "com.sun.net.httpserver.HttpsServer" : "SSLServerSocket";
        System.out.println("READY " + System.getProperty("java.runtime.name") + " " + System.getProperty("java.runtime.version") + " (JSSE, " + what + ")");
        System.out.flush();
        Thread.currentThread().join();
    }

    static byte[] pemBody(String file) throws IOException {
        String text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        String b64 = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(b64);
    }

    static SSLContext context(Case c) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Certificate[] chain;
        try (InputStream in = new FileInputStream(c.chain)) {
            chain = cf.generateCertificates(in).toArray(new Certificate[0]);
        }
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pemBody(c.key)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, PASS, chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, PASS);
        TrustManager[] tms = null;
        if (c.ca != null) {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            try (InputStream in = new FileInputStream(c.ca)) {
                int i = 0;
                for (Certificate ca : cf.generateCertificates(in)) ts.setCertificateEntry("ca" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ts);
            tms = tmf.getTrustManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tms, null);
        return ctx;
    }

    // ---- the routes (the same as the Node backend behind the proxies) ----
    static Response route(String method, String target, String authorization) {
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        Map<String, String> h = new LinkedHashMap<>();
        if (path.equals("/api/v3/") || path.equals("/api/v3")) {
            h.put("Content-Type", "application/json");
            if (("Bearer " + token).equals(authorization)) return new Response(200, h, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
            return new Response(401, h, "{\"error\":\"invalid API token\"}".getBytes(StandardCharsets.UTF_8));
        }
        if (path.equals("/redirect")) {
            h.put("Location", "https://other.invalid:8443/api/v3/");
            h.put("Content-Type", "application/json");
            return new Response(302, h, "{\"redirect\":\"https://other.invalid:8443/api/v3/\"}".getBytes(StandardCharsets.UTF_8));
        }
        h.put("Content-Type", "application/json");
        return new Response(404, h, "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8));
    }

    static String json(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20 || ch > 0x7e) b.append(String.format("\\u%04x", (int) ch));
                    else b.append(ch);
                }
            }
        }
        return b.append('"').toString();
    }

    static void seen(Case c, String method, String url, String authorization, String userAgent) throws IOException {
        String line = "{\"case\":" + json(c.name) + ",\"method\":" + json(method) + ",\"url\":" + json(url)
            + ",\"authorization\":" + json(authorization) + ",\"userAgent\":" + json(userAgent) + "}\n";
        try (Socket r = new Socket(InetAddress.getByName("127.0.0.1"), recorderPort)) {
            r.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
            r.getOutputStream().flush();
            r.getInputStream().read();
        }
    }

    // ---- com.sun.net.httpserver.HttpsServer ----
    static void startHttpsServer(Case c, SSLContext ctx) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), c.port), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = ctx.getDefaultSSLParameters();
                p.setProtocols(c.protocols);
                p.setNeedClientAuth(c.needClientAuth);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                String url = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                seen(c, ex.getRequestMethod(), url, auth, ex.getRequestHeaders().getFirst("User-Agent"));
                Response r = route(ex.getRequestMethod(), url, auth);
                r.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                ex.sendResponseHeaders(r.status, r.body.length);
                ex.getResponseBody().write(r.body);
            }
        });
        server.setExecutor(POOL);
        server.start();
    }

    // ---- SSLServerSocket with a small HTTP/1.1 reader ----
    static void startSocketServer(Case c, SSLContext ctx) throws IOException {
        SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(c.port, 50, InetAddress.getByName("127.0.0.1"));
        ss.setEnabledProtocols(c.protocols);
        if (c.needClientAuth) ss.setNeedClientAuth(true);
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Socket s = ss.accept();
                    POOL.execute(() -> serve(c, (SSLSocket) s));
                } catch (IOException e) {
                    System.err.println(c.name + ": accept: " + e);
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int ch;
        while ((ch = in.read()) != -1) {
            if (ch == '\n') break;
            if (b.size() > 16384) throw new IOException("header line too long");
            b.write(ch);
        }
        if (ch == -1 && b.size() == 0) return null;
        String line = b.toString(StandardCharsets.ISO_8859_1);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    static void serve(Case c, SSLSocket s) {
        try (s) {
            s.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                String requestLine = readLine(in);
                if (requestLine == null) return;
                if (requestLine.isEmpty()) continue;
                String[] parts = requestLine.split(" ");
                if (parts.length != 3) {
                    out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                String line;
                while ((line = readLine(in)) != null && !line.isEmpty()) {
                    int colon = line.indexOf(':');
                    if (colon > 0) headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
                long length = headers.containsKey("content-length") ? Long.parseLong(headers.get("content-length")) : 0;
                for (long i = 0; i < length && in.read() != -1; i++) { /* discard the body */ }
                String auth = headers.get("authorization");
                seen(c, parts[0], parts[1], auth, headers.get("user-agent"));
                Response r = route(parts[0], parts[1], auth);
                boolean close = parts[2].equals("HTTP/1.0") || "close".equalsIgnoreCase(headers.get("connection"));
                StringBuilder head = new StringBuilder("HTTP/1.1 " + r.status + " " + reason(r.status) + "\r\n");
                r.headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
                head.append("Content-Length: ").append(r.body.length).append("\r\n");
                if (close) head.append("Connection: close\r\n");
                head.append("\r\n");
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (!parts[0].equals("HEAD")) out.write(r.body);
                out.flush();
                if (close) return;
            }
        } catch (IOException e) {
            System.err.println(c.name + ": " + e);
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 302 -> "Found";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            default -> "Not Found";
        };
    }
}
