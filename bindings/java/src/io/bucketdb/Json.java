package io.bucketdb;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON the library writes (reports) into Java values: objects as unmodifiable
 * LinkedHashMaps, arrays as Lists, integers as Long (BigInteger beyond), other numbers as
 * Double, and String, Boolean or null. The JDK has no JSON reader, and the library's reports
 * need no more than this.
 */
final class Json {
  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  static Object parse(String text) throws BucketDbException {
    Json p = new Json(text);
    Object v = p.value();
    p.space();
    if (p.i != text.length()) throw p.bad("text after the value");
    return v;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(String text) throws BucketDbException {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new BucketDbException(BucketDbException.Code.INTERNAL, "expected a JSON object");
    }
    return (Map<String, Object>) v;
  }

  private BucketDbException bad(String what) {
    return new BucketDbException(
        BucketDbException.Code.INTERNAL, "the library's JSON at " + i + ": " + what);
  }

  private void space() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
  }

  private Object value() throws BucketDbException {
    space();
    if (i >= s.length()) throw bad("end of text");
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return word("true", Boolean.TRUE);
      case 'f':
        return word("false", Boolean.FALSE);
      case 'n':
        return word("null", null);
      default:
        return number();
    }
  }

  private Object word(String w, Object v) throws BucketDbException {
    if (!s.startsWith(w, i)) throw bad("unexpected character");
    i += w.length();
    return v;
  }

  private Map<String, Object> object() throws BucketDbException {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    space();
    if (i < s.length() && s.charAt(i) == '}') {
      i++;
      return Collections.unmodifiableMap(m);
    }
    for (; ; ) {
      space();
      if (i >= s.length() || s.charAt(i) != '"') throw bad("expected a key");
      String k = string();
      space();
      if (i >= s.length() || s.charAt(i++) != ':') throw bad("expected ':'");
      m.put(k, value());
      space();
      if (i >= s.length()) throw bad("end of text in an object");
      char c = s.charAt(i++);
      if (c == '}') return Collections.unmodifiableMap(m);
      if (c != ',') throw bad("expected ',' or '}'");
    }
  }

  private List<Object> array() throws BucketDbException {
    List<Object> a = new ArrayList<>();
    i++;
    space();
    if (i < s.length() && s.charAt(i) == ']') {
      i++;
      return Collections.unmodifiableList(a);
    }
    for (; ; ) {
      a.add(value());
      space();
      if (i >= s.length()) throw bad("end of text in an array");
      char c = s.charAt(i++);
      if (c == ']') return Collections.unmodifiableList(a);
      if (c != ',') throw bad("expected ',' or ']'");
    }
  }

  private String string() throws BucketDbException {
    StringBuilder b = new StringBuilder();
    i++;
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '"') return b.toString();
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (i >= s.length()) break;
      char e = s.charAt(i++);
      switch (e) {
        case 'b':
          b.append('\b');
          break;
        case 'f':
          b.append('\f');
          break;
        case 'n':
          b.append('\n');
          break;
        case 'r':
          b.append('\r');
          break;
        case 't':
          b.append('\t');
          break;
        case 'u':
          if (i + 4 > s.length()) throw bad("short \\u escape");
          try {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException x) {
            throw bad("bad \\u escape");
          }
          i += 4;
          break;
        default:
          b.append(e); // \" \\ \/
      }
    }
    throw bad("unterminated string");
  }

  private Object number() throws BucketDbException {
    int start = i;
    boolean integer = true;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      if (".eE".indexOf(s.charAt(i)) >= 0) integer = false;
      i++;
    }
    String t = s.substring(start, i);
    try {
      if (!integer) return Double.valueOf(t);
      BigInteger v = new BigInteger(t);
      return v.bitLength() < 64 ? (Object) v.longValue() : v;
    } catch (NumberFormatException e) {
      throw bad("unexpected character");
    }
  }
}
