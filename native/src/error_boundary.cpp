#include "error_boundary.h"

namespace clcrec {

std::string& thread_last_error() {
  thread_local std::string message;
  return message;
}

}  // namespace clcrec
