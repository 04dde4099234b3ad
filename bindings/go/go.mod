module github.com/bucketdb/bucketdb/bindings/go

go 1.19
