#include "conformance/store.h"

namespace bucketdb::conformance {

std::string status_name(int status) {
  static const char *const names[] = {
      "BDB_DRV_OK",           "BDB_DRV_NOT_FOUND", "BDB_DRV_PRECONDITION_FAILED",
      "BDB_DRV_NOT_MODIFIED", "BDB_DRV_TRANSIENT", "BDB_DRV_PERMISSION",
      "BDB_DRV_INVALID",      "BDB_DRV_IO",        "BDB_DRV_NO_SPACE",
      "BDB_DRV_NOMEM",        "BDB_DRV_CORRUPT"};
  if (status >= 0 && status < static_cast<int>(sizeof names / sizeof names[0]))
    return names[status];
  return "status " + std::to_string(status);
}

Store::Store(const bdb_driver_host *host, const std::string &uri) : host_(host) {
  bdb_drv_error err{};
  int st = host_->open_inner(host_->host_ctx, uri.c_str(), &table_, &instance_, &err);
  if (st != BDB_DRV_OK) raise("open", uri, st, err);
}

Store::~Store() {
  if (instance_) host_->close_inner(host_->host_ctx, table_, instance_);
}

void Store::raise(const char *op, const std::string &key, int status,
                  const bdb_drv_error &err) const {
  std::string msg = err.message[0] ? std::string(err.message) : std::string("no message");
  throw DriverError(status,
                    std::string(op) + " '" + key + "': " + status_name(status) + ": " + msg);
}

std::string Store::name() const {
  return table_->name ? table_->name : "";
}

uint64_t Store::capabilities() const {
  if (BDB_DRIVER_HAS(table_, instance_capabilities) && table_->instance_capabilities)
    return table_->instance_capabilities(instance_);
  return table_->capabilities;
}

std::optional<Object> Store::get(const std::string &key) {
  bool not_modified = false;
  return get_if_changed(key, "", &not_modified);
}

std::optional<Object> Store::get_if_changed(const std::string &key, const std::string &etag,
                                            bool *not_modified) {
  bdb_drv_object obj{};
  bdb_drv_error err{};
  *not_modified = false;
  int st = table_->get(instance_, key.c_str(), etag.empty() ? nullptr : etag.c_str(), &obj, &err);
  if (st == BDB_DRV_NOT_FOUND) return std::nullopt;
  if (st == BDB_DRV_NOT_MODIFIED) {
    *not_modified = true;
    return std::nullopt;
  }
  if (st != BDB_DRV_OK) raise("get", key, st, err);
  Object out;
  const auto *p = static_cast<const uint8_t *>(obj.data);
  if (p) out.data.assign(p, p + obj.size);
  if (obj.etag) out.etag = obj.etag;
  if (obj.data) table_->release(instance_, obj.data);
  if (obj.etag) table_->release(instance_, obj.etag);
  return out;
}

Put Store::put(const std::string &key, const Bytes &data, const PutOptions &options,
               std::string *etag) {
  bdb_drv_put_options o{};
  o.if_match = options.if_match.empty() ? nullptr : options.if_match.c_str();
  o.if_none_match = options.if_none_match ? 1 : 0;
  char *out_etag = nullptr;
  bdb_drv_error err{};
  int st = table_->put(instance_, key.c_str(), data.data(), data.size(), &o, &out_etag, &err);
  if (st == BDB_DRV_PRECONDITION_FAILED) return Put::kPreconditionFailed;
  if (st != BDB_DRV_OK) raise("put", key, st, err);
  if (etag) *etag = out_etag ? out_etag : "";
  if (out_etag) table_->release(instance_, out_etag);
  return Put::kOk;
}

void Store::del(const std::string &key) {
  bdb_drv_error err{};
  int st = table_->del(instance_, key.c_str(), &err);
  if (st != BDB_DRV_OK) raise("delete", key, st, err);
}

Store::Page Store::list(const std::string &prefix, const std::string &token) {
  bdb_drv_list l{};
  bdb_drv_error err{};
  int st =
      table_->list(instance_, prefix.c_str(), token.empty() ? nullptr : token.c_str(), &l, &err);
  if (st == BDB_DRV_NOT_FOUND) return {};
  if (st != BDB_DRV_OK) raise("list", prefix, st, err);
  Page page;
  for (size_t i = 0; i < l.count; i++) page.keys.emplace_back(l.keys[i]);
  if (l.truncated && l.next_token) page.next_token = l.next_token;
  table_->release_list(instance_, &l);
  return page;
}

std::vector<std::string> Store::list_all(const std::string &prefix) {
  std::vector<std::string> out;
  std::string token;
  int pages = 0;
  do {
    Page p = list(prefix, token);
    if (!p.next_token.empty() && p.next_token == token)
      throw DriverError(BDB_DRV_IO, "list '" + prefix + "' gave the same continuation token twice");
    out.insert(out.end(), p.keys.begin(), p.keys.end());
    token = p.next_token;
    if (++pages > 100000)
      throw DriverError(BDB_DRV_IO, "list '" + prefix + "' did not end after 100000 pages");
  } while (!token.empty());
  return out;
}

std::string Store::stats() {
  if (!BDB_DRIVER_HAS(table_, stats) || !table_->stats) return "";
  char buf[8192] = {0};
  table_->stats(instance_, buf, sizeof buf);
  return buf;
}

}  // namespace bucketdb::conformance
