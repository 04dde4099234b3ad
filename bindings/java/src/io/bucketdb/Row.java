package io.bucketdb;

/**
 * A record encoded as a row, for generated codecs (bucketdb-schemac): the fixed part (null
 * bitmap and every field's slot) and the heap its variable-length slots point into, laid out
 * by schema version {@code version}.
 */
public record Row(int version, byte[] fixed, byte[] heap) {}
