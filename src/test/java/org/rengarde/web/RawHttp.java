package org.rengarde.web;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written by hand, for what a well-behaved client library never sends: no Host, two of them, a broken
 * request line, a body that is not what its headers say. Blocking, on the test thread, one exchange per
 * connection ({@code Connection: close} is the caller's to add).
 */
final class RawHttp {
  /** What came back: the status, the headers (names in lower case), the body as text. */
  record Reply(int status, Map<String, String> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private RawHttp() {
  }

  /** Sends {@code head} (the request line and headers, CRLF-separated, without the blank line) and {@code body}. */
  static Reply exchange(int port, String head, byte[] body) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      try {
        s.getOutputStream().write(body);
        s.getOutputStream().flush();
      } catch (SocketException e) {
        // the server may answer and close before the whole body is sent: read what it said
      }
      return read(s.getInputStream());
    }
  }

  static Reply exchange(int port, String head) throws IOException {
    return exchange(port, head, new byte[0]);
  }

  /**
   * Reads one response: status line, headers, then a Content-Length or chunked body, or up to the close. An
   * interim 100 Continue is skipped.
   */
  static Reply read(InputStream in) throws IOException {
    int status;
    Map<String, String> headers;
    do {
      status = status(line(in));
      headers = headers(in);
    } while (status == 100);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
        body.write(in.readNBytes(size));
        line(in);
      }
    } else {
      body.write(in.readAllBytes());
    }
    return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  /** Reads only the status line and headers (an event stream's body never ends). */
  static int head(InputStream in) throws IOException {
    int status = status(line(in));
    headers(in);
    return status;
  }

  private static int status(String statusLine) throws IOException {
    if (statusLine == null) {
      throw new IOException("the connection closed before any answer");
    }
    return Integer.parseInt(statusLine.split(" ")[1]);
  }

  private static Map<String, String> headers(InputStream in) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    return headers;
  }

  /** A CRLF-ended line, without the CRLF; null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String s = out.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      out.write(b);
    }
    return out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
  }
}
