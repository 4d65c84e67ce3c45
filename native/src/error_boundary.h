// error_boundary.h - the one place where C++ exceptions become C status codes.
//
// Library code throws ClcrecError (or lets LibTorch / the standard library throw); every
// exported function runs its body through guarded(), which catches everything, records a
// message for the calling thread and returns the matching status. Nothing crosses the C
// boundary.
#pragma once

#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include <c10/util/Exception.h>

#include "clcrec.h"

namespace clcrec {

// An error with a chosen status code and a message that names the offending argument.
class ClcrecError : public std::runtime_error {
 public:
  ClcrecError(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

[[noreturn]] inline void fail(int status, const std::string& message) {
  throw ClcrecError(status, message);
}
[[noreturn]] inline void invalid_argument(const std::string& message) {
  fail(CLCREC_ERR_INVALID_ARGUMENT, message);
}

// The calling thread's last error message.
std::string& thread_last_error();

inline void set_last_error(const std::string& message) noexcept {
  try {
    thread_last_error() = message;
  } catch (...) {
    // Out of memory while storing the message: keep whatever was there.
  }
}

// Runs body() and converts any exception into a status code plus a thread-local message.
// On success the thread's last error is cleared.
template <typename Body>
int guarded(const char* function, Body&& body) noexcept {
  try {
    body();
    set_last_error("");
    return CLCREC_OK;
  } catch (const ClcrecError& e) {
    set_last_error(std::string(function) + ": " + e.what());
    return e.status();
  } catch (const c10::OutOfMemoryError& e) {
    set_last_error(std::string(function) + ": out of memory: " + e.what_without_backtrace());
    return CLCREC_ERR_OUT_OF_MEMORY;
  } catch (const c10::Error& e) {
    set_last_error(std::string(function) + ": LibTorch error: " + e.what_without_backtrace());
    return CLCREC_ERR_RUNTIME;
  } catch (const std::bad_alloc&) {
    set_last_error(std::string(function) + ": out of memory");
    return CLCREC_ERR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    set_last_error(std::string(function) + ": " + e.what());
    return CLCREC_ERR_RUNTIME;
  } catch (...) {
    set_last_error(std::string(function) + ": unknown native error");
    return CLCREC_ERR_RUNTIME;
  }
}

}  // namespace clcrec
