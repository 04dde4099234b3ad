package io.bucketdb;

/**
 * Wraps a {@link BucketDbException} where Java allows no checked exception: the iterators of
 * {@link Cursor} and {@link Query}.
 */
public class UncheckedBucketDbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UncheckedBucketDbException(BucketDbException cause) {
    super(cause.getMessage(), cause);
  }

  @Override
  public BucketDbException getCause() {
    return (BucketDbException) super.getCause();
  }

  public BucketDbException.Code code() {
    return getCause().code();
  }
}
