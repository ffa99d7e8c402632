// S3 bucket configuration (REST-XML), ECR repositories (JSON 1.1) and EC2 networking (query) for the
// AwsDeploymentApi.
#include <openssl/evp.h>

#include <boost/json.hpp>

#include "aws/protocols.h"
#include "infra/access_denied.h"
#include "infra/aws_deployment_api.h"
#include "infra/aws_xml.h"

namespace live2::infra {
namespace {

namespace json = boost::json;

constexpr const char* kEcrTarget = "AmazonEC2ContainerRegistry_V20150921";
constexpr const char* kEc2Version = "2016-11-15";
constexpr const char* kLifecycleRuleId = "live2-expire-artifacts";

std::string base64_md5(const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(body.data(), body.size(), digest, &length, EVP_md5(), nullptr);
  unsigned char encoded[64];
  const int encoded_length = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
  return std::string(reinterpret_cast<char*>(encoded), static_cast<size_t>(encoded_length));
}

// A bucket sub-resource call (?location, ?publicAccessBlock ...) that needs the IAM action `action`: the answer's
// body.
Result<std::string> bucket_call(aws::S3Client& s3, const std::string& action, const std::string& method,
                                const std::string& bucket, const std::string& subresource,
                                const std::string& body = "") {
  aws::AwsRequest request = s3.request_for(method, bucket, "");
  if (!subresource.empty()) request.query.emplace_back(subresource, "");
  if (!body.empty()) {
    request.body = body;
    request.headers.push_back({"Content-Type", "application/xml"});
    request.headers.push_back({"Content-MD5", base64_md5(body)});
  }
  Result<aws::HttpResponse> response = s3.client().send(request);
  if (!response.ok()) return with_required_action(response.error(), "s3:" + action);
  return std::move(response->body);
}

Result<boost::json::value> ecr_call(aws::AwsClient& ecr, const std::string& operation, const boost::json::value& body) {
  auto answer = aws::call_json(ecr, kEcrTarget, operation, body);
  if (!answer.ok()) return with_required_action(answer.error(), "ecr:" + operation);
  return answer;
}

Result<std::string> ec2_call(aws::AwsClient& ec2, const std::string& action, const aws::QueryParameters& parameters) {
  auto answer = aws::call_query(ec2, action, kEc2Version, parameters);
  if (!answer.ok()) return with_required_action(answer.error(), "ec2:" + action);
  return answer;
}

// True when the error means "this configuration is not set" rather than a failure.
bool is_absent_configuration(const Error& error) {
  return error.provider_code == "NoSuchPublicAccessBlockConfiguration" ||
         error.provider_code == "ServerSideEncryptionConfigurationNotFoundError" ||
         error.provider_code == "NoSuchLifecycleConfiguration";
}

Status as_status(const Result<std::string>& result) { return result.ok() ? Status::success() : result.error(); }

}  // namespace

Result<BucketState> AwsDeploymentApi::describe_bucket(const std::string& bucket) {
  Result<std::string> location = bucket_call(clients_.s3, "GetBucketLocation", "GET", bucket, "location");
  if (!location.ok()) {
    if (location.error().provider_code == "NoSuchBucket") return BucketState{};
    if (location.error().http_status == 403) {
      return with_required_action(
          Error::from_service("AccessDenied", "bucket " + bucket +
                                                  " exists but these credentials "
                                                  "may not read it (another account may own the name)"),
          "s3:GetBucketLocation");
    }
    return location.error();
  }
  BucketState state;
  state.exists = true;
  auto location_xml = parse_xml(*location);
  if (!location_xml.ok()) return location_xml.error();
  state.region = (*location_xml)->document_element().text().as_string();
  if (state.region.empty()) state.region = "us-east-1";  // S3 reports the original region as no constraint

  Result<std::string> block = bucket_call(clients_.s3, "GetBucketPublicAccessBlock", "GET", bucket, "publicAccessBlock");
  if (block.ok()) {
    auto xml = parse_xml(*block);
    if (!xml.ok()) return xml.error();
    pugi::xml_node root = (*xml)->document_element();
    state.public_access_blocked = true;
    for (const char* setting : {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"}) {
      state.public_access_blocked = state.public_access_blocked && std::string(xml_text(root, setting)) == "true";
    }
  } else if (!is_absent_configuration(block.error())) {
    return block.error();
  }

  Result<std::string> encryption = bucket_call(clients_.s3, "GetEncryptionConfiguration", "GET", bucket, "encryption");
  if (encryption.ok()) {
    state.encrypted = encryption->find("SSEAlgorithm") != std::string::npos;
  } else if (!is_absent_configuration(encryption.error())) {
    return encryption.error();
  }

  Result<std::string> lifecycle = bucket_call(clients_.s3, "GetLifecycleConfiguration", "GET", bucket, "lifecycle");
  if (lifecycle.ok()) {
    auto xml = parse_xml(*lifecycle);
    if (!xml.ok()) return xml.error();
    for (pugi::xml_node rule : (*xml)->document_element().children("Rule")) {
      const int days = rule.child("Expiration").child("Days").text().as_int();
      if (std::string(rule.child("Status").text().as_string()) == "Enabled" && days > 0) {
        state.expiration_days = days;
        break;
      }
    }
  } else if (!is_absent_configuration(lifecycle.error())) {
    return lifecycle.error();
  }
  return state;
}

Status AwsDeploymentApi::create_bucket(const std::string& bucket, const std::string& region) {
  // us-east-1 is the one region that must not be named as a location constraint.
  const std::string body =
      region == "us-east-1"
          ? ""
          : "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>" +
                region + "</LocationConstraint></CreateBucketConfiguration>";
  return as_status(bucket_call(clients_.s3, "CreateBucket", "PUT", bucket, "", body));
}

Status AwsDeploymentApi::block_public_access(const std::string& bucket) {
  return as_status(bucket_call(
      clients_.s3, "PutBucketPublicAccessBlock", "PUT", bucket, "publicAccessBlock",
      "<PublicAccessBlockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>"
      "<BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>"
      "</PublicAccessBlockConfiguration>"));
}

Status AwsDeploymentApi::enable_default_encryption(const std::string& bucket) {
  return as_status(bucket_call(clients_.s3, "PutEncryptionConfiguration", "PUT", bucket, "encryption",
                               "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                               "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                               "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>"
                               "</ServerSideEncryptionConfiguration>"));
}

Status AwsDeploymentApi::set_expiration(const std::string& bucket, int days) {
  return as_status(bucket_call(
      clients_.s3, "PutLifecycleConfiguration", "PUT", bucket, "lifecycle",
      std::string("<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ID>") +
          kLifecycleRuleId + "</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status><Expiration><Days>" +
          std::to_string(days) + "</Days></Expiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>7" +
          "</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>"));
}

Status AwsDeploymentApi::delete_bucket(const std::string& bucket) {
  return as_status(bucket_call(clients_.s3, "DeleteBucket", "DELETE", bucket, ""));
}

Result<RepositoryState> AwsDeploymentApi::describe_repository(const std::string& name) {
  auto described = ecr_call(clients_.ecr, "DescribeRepositories",
                                  json::object{{"repositoryNames", json::array{json::value(name)}}});
  if (!described.ok()) {
    if (described.error().provider_code == "RepositoryNotFoundException") return RepositoryState{};
    return described.error();
  }
  RepositoryState state;
  const auto& repositories = described->at("repositories").as_array();
  if (repositories.empty()) return state;
  state.exists = true;
  state.uri = std::string(repositories.front().at("repositoryUri").as_string());
  std::string next_token;
  do {
    json::object request{{"repositoryName", name}, {"filter", json::object{{"tagStatus", "TAGGED"}}}};
    if (!next_token.empty()) request["nextToken"] = next_token;
    auto images = ecr_call(clients_.ecr, "ListImages", request);
    if (!images.ok()) return images.error();
    for (const auto& image : images->at("imageIds").as_array()) {
      const auto* tag = image.as_object().if_contains("imageTag");
      if (tag == nullptr || !tag->is_string()) continue;
      state.image_tags.emplace_back(tag->as_string());
      if (const auto* digest = image.as_object().if_contains("imageDigest"); digest != nullptr && digest->is_string()) {
        state.image_digests[state.image_tags.back()] = std::string(digest->as_string());
      }
    }
    const auto* token = images->as_object().if_contains("nextToken");
    next_token = token && token->is_string() ? std::string(token->as_string()) : "";
  } while (!next_token.empty());
  return state;
}

Status AwsDeploymentApi::create_repository(const std::string& name) {
  auto created = ecr_call(clients_.ecr, "CreateRepository",
                                json::object{{"repositoryName", name},
                                             {"imageTagMutability", "MUTABLE"},
                                             {"imageScanningConfiguration", json::object{{"scanOnPush", true}}}});
  return created.ok() ? Status::success() : Status(created.error());
}

Status AwsDeploymentApi::delete_repository(const std::string& name) {
  auto deleted = ecr_call(clients_.ecr, "DeleteRepository",
                                json::object{{"repositoryName", name}, {"force", true}});
  return deleted.ok() ? Status::success() : Status(deleted.error());
}

Result<NetworkState> AwsDeploymentApi::describe_network(const std::vector<std::string>& subnets,
                                                        const std::vector<std::string>& security_groups) {
  NetworkState state;
  state.subnets_have_internet_route = !subnets.empty();
  // One id per call: a describe with an unknown id fails whole, and we want to name each missing one.
  for (const std::string& subnet : subnets) {
    auto described = ec2_call(clients_.ec2, "DescribeSubnets", {{"SubnetId.1", subnet}});
    if (!described.ok()) {
      if (described.error().provider_code != "InvalidSubnetID.NotFound") return described.error();
      state.missing_subnets.push_back(subnet);
      state.subnets_have_internet_route = false;
      continue;
    }
    auto subnet_xml = parse_xml(*described);
    if (!subnet_xml.ok()) return subnet_xml.error();
    const std::string vpc = xml_text((*subnet_xml)->document_element(), "subnetSet/item/vpcId");
    // The subnet's own route table, or else its VPC's main one.
    auto routes = ec2_call(clients_.ec2, "DescribeRouteTables",
                                  {{"Filter.1.Name", "association.subnet-id"}, {"Filter.1.Value.1", subnet}});
    if (!routes.ok()) return routes.error();
    if (routes->find("<routeTableId>") == std::string::npos) {
      routes = ec2_call(clients_.ec2, "DescribeRouteTables",
                               {{"Filter.1.Name", "association.main"},
                                {"Filter.1.Value.1", "true"},
                                {"Filter.2.Name", "vpc-id"},
                                {"Filter.2.Value.1", vpc}});
      if (!routes.ok()) return routes.error();
    }
    const bool internet = routes->find("<gatewayId>igw-") != std::string::npos ||
                          routes->find("<natGatewayId>nat-") != std::string::npos;
    state.subnets_have_internet_route = state.subnets_have_internet_route && internet;
  }
  for (const std::string& group : security_groups) {
    auto described = ec2_call(clients_.ec2, "DescribeSecurityGroups", {{"GroupId.1", group}});
    if (!described.ok()) {
      if (described.error().provider_code != "InvalidGroup.NotFound") return described.error();
      state.missing_security_groups.push_back(group);
    }
  }
  return state;
}

}  // namespace live2::infra
