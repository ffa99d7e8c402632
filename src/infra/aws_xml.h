// Small readers for the XML answers of the query protocol (IAM, STS, EC2) and S3, on pugixml. Element names are
// matched without regard to the default namespace AWS puts on the root. Pure.
#pragma once

#include <memory>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "base/result.h"

namespace live2::infra {

Result<std::shared_ptr<pugi::xml_document>> parse_xml(const std::string& text);
// Text of the first element at `path` ("GetRoleResult/Role/Arn") under `node`; empty when absent.
std::string xml_text(const pugi::xml_node& node, const char* path);
// Texts of every `<member>`/`<item>` child (element name `child`) of the element at `path`.
std::vector<std::string> xml_list(const pugi::xml_node& node, const char* path, const char* child);

}  // namespace live2::infra
