package io.bucketdb;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;
import java.util.Map;

/** Conversions between Java values and document fields, and JSON literals for the library. */
final class Values {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private Values() {}

  static BigInteger unsigned(long bits) {
    BigInteger b = BigInteger.valueOf(bits);
    return bits >= 0 ? b : b.add(TWO_64);
  }

  /** One field of a known type, as its Java value (see FieldType). */
  static Object get(NativeDoc d, FieldType t, String name) throws BucketDbException {
    if (t == null) return d.getJson(name); // a type this binding does not know yet
    switch (t) {
      case UINT64:
        return unsigned(d.getUint(name));
      case UINT8:
      case UINT16:
      case UINT32:
      case INT8:
      case INT16:
      case INT32:
      case INT64:
        return d.getInt(name);
      case BOOLEAN:
        return d.getBool(name) != 0;
      case FLOAT64:
      case FLOAT32:
        return d.getDouble(name);
      case TIMESTAMP:
        return Instant.ofEpochMilli(d.getInt(name));
      case JSON:
      case VARCHAR:
        return Utf8.decode(d.getString(name));
      case BLOB:
        return d.getBlobId(name);
      case BYTES:
        return d.getBytes(name);
      default:
        return d.getJson(name);
    }
  }

  /** Sets one field from a Java value; t is the field's type, null when unknown. */
  static void set(NativeDoc d, FieldType t, String name, Object v) throws BucketDbException {
    if (v == null) {
      d.setNull(name);
    } else if (v instanceof Boolean) {
      d.setBool(name, (Boolean) v ? 1 : 0);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short
        || v instanceof Byte) {
      long x = ((Number) v).longValue();
      if (t != null && t.isUnsigned() && x >= 0) d.setUint(name, x);
      else d.setInt(name, x);
    } else if (v instanceof BigInteger) {
      BigInteger b = (BigInteger) v;
      if (b.signum() >= 0 && b.bitLength() <= 64) d.setUint(name, b.longValue());
      else if (b.bitLength() <= 63) d.setInt(name, b.longValue());
      else if (t == FieldType.JSON) d.setJson(name, b.toString()); // checked there
      else
        throw new BucketDbException(
            BucketDbException.Code.TYPE, "field '" + name + "': " + b + " does not fit 64 bits");
    } else if (v instanceof Double || v instanceof Float) {
      d.setDouble(name, ((Number) v).doubleValue());
    } else if (v instanceof Instant) {
      d.setInt(name, ((Instant) v).toEpochMilli());
    } else if (v instanceof Date) {
      d.setInt(name, ((Date) v).getTime());
    } else if (v instanceof String) {
      String s = (String) v;
      if (t == FieldType.BYTES) d.setBytes(name, Utf8.encode(s));
      else if (t == FieldType.BLOB) d.setJson(name, json(s));
      else d.setString(name, Utf8.encode(s));
    } else if (v instanceof byte[]) {
      byte[] b = (byte[]) v;
      if (t == FieldType.BLOB) d.setBlob(name, b);
      else if (t == FieldType.VARCHAR || t == FieldType.JSON) d.setString(name, b);
      else d.setBytes(name, b);
    } else {
      d.setJson(name, json(v));
    }
  }

  /** A primary key as bdb_key_doc_from_text reads it: always a JSON literal. */
  static String keyText(Object key) throws BucketDbException {
    return json(key);
  }

  /**
   * The JSON for a value: integers exact, byte[] as base64, Instant as milliseconds, NaN and the
   * infinities as the library's strings, collections and arrays as arrays, maps as objects.
   */
  static String json(Object v) throws BucketDbException {
    StringBuilder sb = new StringBuilder();
    writeJson(sb, v);
    return sb.toString();
  }

  private static void writeJson(StringBuilder sb, Object v) throws BucketDbException {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer
        || v instanceof Short || v instanceof Byte || v instanceof BigInteger) {
      sb.append(v);
    } else if (v instanceof BigDecimal) {
      sb.append(((BigDecimal) v).toString());
    } else if (v instanceof Double || v instanceof Float) {
      double x = ((Number) v).doubleValue();
      if (Double.isNaN(x)) sb.append("\"NaN\"");
      else if (Double.isInfinite(x)) sb.append(x > 0 ? "\"Infinity\"" : "\"-Infinity\"");
      else sb.append(v);
    } else if (v instanceof String) {
      quote(sb, (String) v);
    } else if (v instanceof byte[]) {
      quote(sb, Base64.getEncoder().encodeToString((byte[]) v));
    } else if (v instanceof Instant) {
      sb.append(((Instant) v).toEpochMilli());
    } else if (v instanceof Date) {
      sb.append(((Date) v).getTime());
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) sb.append(',');
        first = false;
        quote(sb, String.valueOf(e.getKey()));
        sb.append(':');
        writeJson(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof Iterable) {
      sb.append('[');
      Iterator<?> it = ((Iterable<?>) v).iterator();
      while (it.hasNext()) {
        writeJson(sb, it.next());
        if (it.hasNext()) sb.append(',');
      }
      sb.append(']');
    } else if (v instanceof Object[]) {
      sb.append('[');
      Object[] a = (Object[]) v;
      for (int i = 0; i < a.length; i++) {
        if (i > 0) sb.append(',');
        writeJson(sb, a[i]);
      }
      sb.append(']');
    } else if (v.getClass().isArray()) {
      sb.append('[');
      int n = java.lang.reflect.Array.getLength(v);
      for (int i = 0; i < n; i++) {
        if (i > 0) sb.append(',');
        writeJson(sb, java.lang.reflect.Array.get(v, i));
      }
      sb.append(']');
    } else {
      throw new BucketDbException(BucketDbException.Code.TYPE,
          "cannot write a " + v.getClass().getName() + " as JSON");
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
      }
    }
    sb.append('"');
  }
}
