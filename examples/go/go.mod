module github.com/bucketdb/bucketdb/examples/go

go 1.19

require github.com/bucketdb/bucketdb/bindings/go v0.0.0

replace github.com/bucketdb/bucketdb/bindings/go => ../../bindings/go
