#include "aws/s3_client.h"

#include <pugixml.hpp>

#include <sstream>

#include "base/time_format.h"

namespace live2::aws {
namespace {

bool uses_path_style(const AwsClient& aws, const std::string& bucket) {
  return aws.endpoint().overridden || bucket.find('.') != std::string::npos;
}

Result<pugi::xml_document> parse_xml(const std::string& body, const char* operation) {
  pugi::xml_document document;
  if (!document.load_buffer(body.data(), body.size())) {
    return Error::make(ErrorCode::invalid_response, std::string(operation) + " returned a body that is not XML");
  }
  return document;
}

}  // namespace

bool is_s3_not_found(const Error& error) {
  return error.provider_code == "NoSuchKey" || error.provider_code == "NotFound" || error.http_status == 404;
}

AwsRequest S3Client::request_for(const std::string& method, const std::string& bucket, const std::string& key) const {
  AwsRequest request;
  request.method = method;
  if (uses_path_style(aws_, bucket)) {
    request.path = "/" + bucket + (key.empty() ? "" : "/" + key);
  } else {
    request.endpoint = "https://" + bucket + ".s3." + aws_.region() + ".amazonaws.com";
    request.path = "/" + key;
  }
  return request;
}

Status S3Client::put_object(const std::string& bucket, const std::string& key, Payload body,
                            const std::string& content_type) {
  AwsRequest request = request_for("PUT", bucket, key);
  request.priority = CallPriority::submission;
  request.headers.push_back({"Content-Type", content_type});
  request.body = std::move(body);
  Result<HttpResponse> response = aws_.send(request);
  if (!response.ok()) return response.error();
  return Status::success();
}

Result<std::string> S3Client::get_object(const std::string& bucket, const std::string& key) {
  Result<HttpResponse> response = aws_.send(request_for("GET", bucket, key));
  if (!response.ok()) return response.error();
  return std::move(response->body);
}

Status S3Client::download_object(const std::string& bucket, const std::string& key,
                                 const std::filesystem::path& destination) {
  AwsRequest request = request_for("GET", bucket, key);
  request.response_file = destination;
  Result<HttpResponse> response = aws_.send(request);
  if (!response.ok()) return response.error();
  return Status::success();
}

Result<S3Object> S3Client::head_object(const std::string& bucket, const std::string& key) {
  Result<HttpResponse> response = aws_.send(request_for("HEAD", bucket, key));
  if (!response.ok()) return response.error();
  S3Object object{key, 0, 0, response->header("ETag")};
  const std::string length = response->header("Content-Length");
  if (!length.empty()) object.size = std::stoll(length);
  return object;
}

Status S3Client::head_bucket(const std::string& bucket) {
  Result<HttpResponse> response = aws_.send(request_for("HEAD", bucket, ""));
  if (!response.ok()) return response.error();
  return Status::success();
}

Result<std::vector<S3Object>> S3Client::list_objects(const std::string& bucket, const std::string& prefix,
                                                     const std::string& delimiter, int page_size) {
  std::vector<S3Object> objects;
  std::string continuation_token;
  while (true) {
    AwsRequest request = request_for("GET", bucket, "");
    request.query = {{"list-type", "2"}, {"prefix", prefix}, {"max-keys", std::to_string(page_size)}};
    if (!delimiter.empty()) request.query.emplace_back("delimiter", delimiter);
    if (!continuation_token.empty()) request.query.emplace_back("continuation-token", continuation_token);
    Result<HttpResponse> response = aws_.send(request);
    if (!response.ok()) return response.error();
    Result<pugi::xml_document> document = parse_xml(response->body, "ListObjectsV2");
    if (!document.ok()) return document.error();
    const pugi::xml_node result = document->child("ListBucketResult");
    for (pugi::xml_node contents : result.children("Contents")) {
      S3Object object;
      object.key = contents.child_value("Key");
      object.size = contents.child("Size").text().as_llong();
      object.last_modified_ms = parse_iso8601_ms(contents.child_value("LastModified")).value_or(0);
      object.etag = contents.child_value("ETag");
      objects.push_back(std::move(object));
    }
    continuation_token = result.child_value("NextContinuationToken");
    if (std::string_view(result.child_value("IsTruncated")) != "true" || continuation_token.empty()) break;
  }
  return objects;
}

Status S3Client::delete_object(const std::string& bucket, const std::string& key) {
  Result<HttpResponse> response = aws_.send(request_for("DELETE", bucket, key));
  if (!response.ok()) return response.error();
  return Status::success();
}

Result<std::string> S3Client::create_multipart_upload(const std::string& bucket, const std::string& key,
                                                      const std::string& content_type) {
  AwsRequest request = request_for("POST", bucket, key);
  request.query = {{"uploads", ""}};
  request.priority = CallPriority::submission;
  request.headers.push_back({"Content-Type", content_type});
  Result<HttpResponse> response = aws_.send(request);
  if (!response.ok()) return response.error();
  Result<pugi::xml_document> document = parse_xml(response->body, "CreateMultipartUpload");
  if (!document.ok()) return document.error();
  std::string upload_id = document->child("InitiateMultipartUploadResult").child_value("UploadId");
  if (upload_id.empty()) return Error::make(ErrorCode::invalid_response, "CreateMultipartUpload returned no UploadId");
  return upload_id;
}

Result<std::string> S3Client::upload_part(const std::string& bucket, const std::string& key,
                                          const std::string& upload_id, int part_number, Payload body) {
  AwsRequest request = request_for("PUT", bucket, key);
  request.query = {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}};
  request.priority = CallPriority::submission;
  request.body = std::move(body);
  Result<HttpResponse> response = aws_.send(request);
  if (!response.ok()) return response.error();
  std::string etag = response->header("ETag");
  if (etag.empty()) return Error::make(ErrorCode::invalid_response, "UploadPart returned no ETag");
  return etag;
}

Status S3Client::complete_multipart_upload(const std::string& bucket, const std::string& key,
                                           const std::string& upload_id, const std::vector<CompletedPart>& parts) {
  pugi::xml_document body;
  pugi::xml_node root = body.append_child("CompleteMultipartUpload");
  root.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
  for (const CompletedPart& part : parts) {
    pugi::xml_node node = root.append_child("Part");
    node.append_child("PartNumber").text() = part.part_number;
    node.append_child("ETag").text() = part.etag.c_str();
  }
  std::ostringstream xml;
  body.save(xml, "", pugi::format_raw | pugi::format_no_declaration);

  AwsRequest request = request_for("POST", bucket, key);
  request.query = {{"uploadId", upload_id}};
  request.priority = CallPriority::submission;
  request.headers.push_back({"Content-Type", "application/xml"});
  request.body = xml.str();
  Result<HttpResponse> response = aws_.send(request);
  if (!response.ok()) return response.error();
  // S3 may answer 200 and still fail: the error then is the body.
  Result<pugi::xml_document> answer = parse_xml(response->body, "CompleteMultipartUpload");
  if (!answer.ok()) return answer.error();
  if (const pugi::xml_node error = answer->child("Error")) {
    Error failed = Error::from_service(error.child_value("Code"), error.child_value("Message"));
    failed.request_id = error.child_value("RequestId");
    failed.http_status = 200;
    return failed;
  }
  return Status::success();
}

Status S3Client::abort_multipart_upload(const std::string& bucket, const std::string& key,
                                        const std::string& upload_id) {
  AwsRequest request = request_for("DELETE", bucket, key);
  request.query = {{"uploadId", upload_id}};
  Result<HttpResponse> response = aws_.send(request);
  if (!response.ok()) return response.error();
  return Status::success();
}

Result<PresignedUrl> S3Client::presign_get(const std::string& bucket, const std::string& key, int64_t expires_s,
                                           const ResponseOverrides& overrides) {
  AwsRequest request = request_for("GET", bucket, key);
  if (!overrides.cache_control.empty()) {
    request.query.emplace_back("response-cache-control", std::string(overrides.cache_control));
  }
  if (!overrides.content_disposition.empty()) {
    request.query.emplace_back("response-content-disposition", std::string(overrides.content_disposition));
  }
  return aws_.presign(request, expires_s);
}

}  // namespace live2::aws
