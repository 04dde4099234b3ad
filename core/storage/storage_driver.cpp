#include "core/storage/storage_driver.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>

#include "core/storage/driver_loader.h"
#include "core/storage/storage.h"
#include "core/util/error.h"

namespace bucketdb {

namespace {

// The table is per instance so that `name` can be the opened driver's scheme.
struct Instance {
  bdb_driver_v1 table;
  std::string name;
  std::unique_ptr<Storage> storage;
};

Storage &storage_of(void *instance) {
  return *static_cast<Instance *>(instance)->storage;
}

int driver_status(bdb_status st) {
  switch (st) {
    case BDB_E_NOT_FOUND:
      return BDB_DRV_NOT_FOUND;
    case BDB_E_INVALID:
    case BDB_E_URI:
      return BDB_DRV_INVALID;
    case BDB_E_PERMISSION:
      return BDB_DRV_PERMISSION;
    case BDB_E_NO_SPACE:
      return BDB_DRV_NO_SPACE;
    case BDB_E_NOMEM:
      return BDB_DRV_NOMEM;
    case BDB_E_CORRUPT:
      return BDB_DRV_CORRUPT;
    default:
      return BDB_DRV_IO;
  }
}

void set_error(bdb_drv_error *err, const std::string &message) {
  if (!err) return;
  std::snprintf(err->message, sizeof err->message, "%s", message.c_str());
}

// Runs fn, turning what Storage throws into a driver status and message.
template <typename Fn>
int guarded(bdb_drv_error *err, Fn &&fn) {
  try {
    return fn();
  } catch (const Error &e) {
    set_error(err, e.what());
    return driver_status(e.status());
  } catch (const std::bad_alloc &) {
    set_error(err, "out of memory");
    return BDB_DRV_NOMEM;
  } catch (const std::exception &e) {
    set_error(err, e.what());
    return BDB_DRV_IO;
  }
}

char *copy(const std::string &s) {
  char *out = static_cast<char *>(std::malloc(s.size() + 1));
  if (!out) throw std::bad_alloc();
  std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

int sd_open(const bdb_driver_host *, const char *, void **, bdb_drv_error *err) {
  set_error(err, "the host's storage view opens only through storage_host()");
  return BDB_DRV_INVALID;
}

void sd_close(void *instance) {
  delete static_cast<Instance *>(instance);
}

int sd_get(void *instance, const char *key, const char *if_none_match, bdb_drv_object *out,
           bdb_drv_error *err) {
  return guarded(err, [&] {
    bool not_modified = false;
    auto obj =
        storage_of(instance).get_if_changed(key, if_none_match ? if_none_match : "", &not_modified);
    if (!obj) return not_modified ? BDB_DRV_NOT_MODIFIED : BDB_DRV_NOT_FOUND;
    out->size = obj->data.size();
    out->data = std::malloc(obj->data.empty() ? 1 : obj->data.size());
    if (!out->data) throw std::bad_alloc();
    if (!obj->data.empty()) std::memcpy(out->data, obj->data.data(), obj->data.size());
    out->etag = copy(obj->etag);
    return BDB_DRV_OK;
  });
}

int sd_put(void *instance, const char *key, const void *data, size_t size,
           const bdb_drv_put_options *options, char **out_etag, bdb_drv_error *err) {
  return guarded(err, [&] {
    PutCondition cond;
    if (options->if_match) cond.if_match = options->if_match;
    cond.if_none_match = options->if_none_match != 0;
    const auto *p = static_cast<const uint8_t *>(data);
    std::string etag;
    PutOutcome o = storage_of(instance).put(key, Bytes(p, p + size), cond, &etag);
    if (o == PutOutcome::kPreconditionFailedAfterRetry) {
      set_error(err, std::string("put ") + key +
                         ": failed with a transient error, and its retry found the precondition "
                         "failed: the first attempt may have landed");
      return BDB_DRV_TRANSIENT;
    }
    if (o == PutOutcome::kPreconditionFailed) return BDB_DRV_PRECONDITION_FAILED;
    *out_etag = etag.empty() ? nullptr : copy(etag);
    return BDB_DRV_OK;
  });
}

int sd_del(void *instance, const char *key, bdb_drv_error *err) {
  return guarded(err, [&] {
    storage_of(instance).del(key);
    return BDB_DRV_OK;
  });
}

void sd_release_list(void *, bdb_drv_list *list);

int sd_list(void *instance, const char *prefix, const char *token, bdb_drv_list *out,
            bdb_drv_error *err) {
  return guarded(err, [&] {
    Storage::Page page = storage_of(instance).list(prefix, token ? token : "");
    *out = bdb_drv_list{};
    try {
      out->keys = static_cast<char **>(std::calloc(page.keys.size() + 1, sizeof(char *)));
      if (!out->keys) throw std::bad_alloc();
      for (const auto &k : page.keys) out->keys[out->count++] = copy(k);
      out->truncated = !page.next_token.empty();
      if (out->truncated) out->next_token = copy(page.next_token);
    } catch (...) {
      sd_release_list(instance, out);
      throw;
    }
    return BDB_DRV_OK;
  });
}

void sd_release(void *, void *ptr) {
  std::free(ptr);
}

void sd_release_list(void *, bdb_drv_list *list) {
  for (size_t i = 0; list->keys && i < list->count; i++) std::free(list->keys[i]);
  std::free(list->keys);
  std::free(list->next_token);
  *list = bdb_drv_list{};
}

int sd_stats(void *instance, char *buf, size_t cap) {
  std::string s;
  try {
    s = storage_of(instance).driver_stats_json();
  } catch (const std::exception &) {
    s = "{}";
  }
  if (s.size() + 1 > cap) s = "{}";
  if (cap > 0) std::snprintf(buf, cap, "%s", s.c_str());
  return BDB_DRV_OK;
}

uint64_t sd_instance_capabilities(void *instance) {
  return storage_of(instance).capabilities();
}

int host_open(void *, const char *uri, const bdb_driver_v1 **out_table, void **out_instance,
              bdb_drv_error *err) {
  return guarded(err, [&] {
    auto inst = std::make_unique<Instance>();
    inst->storage = Storage::open(uri);
    inst->storage->base_delay_ms = 2;
    inst->storage->max_delay_ms = 50;
    inst->name = inst->storage->driver_name();
    inst->table = bdb_driver_v1{};
    inst->table.abi_version = BDB_DRIVER_ABI_VERSION;
    inst->table.struct_size = sizeof(bdb_driver_v1);
    inst->table.name = inst->name.c_str();
    inst->table.capabilities = inst->storage->capabilities();
    inst->table.open = sd_open;
    inst->table.close = sd_close;
    inst->table.get = sd_get;
    inst->table.put = sd_put;
    inst->table.del = sd_del;
    inst->table.list = sd_list;
    inst->table.release = sd_release;
    inst->table.release_list = sd_release_list;
    inst->table.stats = sd_stats;
    inst->table.instance_capabilities = sd_instance_capabilities;
    *out_table = &inst->table;
    *out_instance = inst.release();
    return BDB_DRV_OK;
  });
}

void host_close(void *, const bdb_driver_v1 *table, void *instance) {
  if (table && instance) table->close(instance);
}

void host_log(void *, int, const char *) {}

}  // namespace

const bdb_driver_host *storage_host() {
  static const bdb_driver_host host = {BDB_DRIVER_ABI_VERSION,
                                       sizeof(bdb_driver_host),
                                       host_log,
                                       host_open,
                                       host_close,
                                       nullptr,
                                       nullptr,
                                       BDB_DRV_LOG_ERROR,
                                       host_interrupted};
  return &host;
}

}  // namespace bucketdb
