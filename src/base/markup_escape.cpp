#include "base/markup_escape.h"

namespace live2 {

std::string markup_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;  // XML knows &apos; too, HTML 4 does not; a numeric reference is read by both
      default: out += c;
    }
  }
  return out;
}

}  // namespace live2
