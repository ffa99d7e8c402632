#include "infra/aws_xml.h"

namespace live2::infra {

Result<std::shared_ptr<pugi::xml_document>> parse_xml(const std::string& text) {
  auto document = std::make_shared<pugi::xml_document>();
  pugi::xml_parse_result parsed = document->load_buffer(text.data(), text.size());
  if (!parsed)
    return Error::make(ErrorCode::invalid_response,
                       std::string("the service answered with malformed XML: ") + parsed.description());
  return document;
}

std::string xml_text(const pugi::xml_node& node, const char* path) {
  return node.first_element_by_path(path).text().as_string();
}

std::vector<std::string> xml_list(const pugi::xml_node& node, const char* path, const char* child) {
  std::vector<std::string> out;
  for (pugi::xml_node item : node.first_element_by_path(path).children(child)) out.emplace_back(item.text().as_string());
  return out;
}

}  // namespace live2::infra
