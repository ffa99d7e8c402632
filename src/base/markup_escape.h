// markup_escaped: text made safe inside XML and HTML, in element content and in quoted attribute values alike
// ('&', '<', '>', '"' and '\'' as character references; every other byte, UTF-8 included, as it is). The one escaper
// of the worker's report.html and reaction_network.graphml. Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace live2 {

std::string markup_escaped(std::string_view text);

}  // namespace live2
