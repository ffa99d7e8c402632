// Registration of every route of the contract (docs/openapi.yaml) on a Router; each group lives in its own file.
#pragma once

#include "api/api_context.h"
#include "api/router.h"

namespace live2::api {

void add_job_routes(Router& router, ApiContext& context);         // job_routes.cpp: submit, get, list, cancel
void add_job_output_routes(Router& router, ApiContext& context);  // job_output_routes.cpp: artifacts, logs, events, metrics
void add_service_routes(Router& router, ApiContext& context);     // service_routes.cpp: health, ready, openapi.json, files

}  // namespace live2::api
