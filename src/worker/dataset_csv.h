// dataset.csv: a header line of the column names, then one line per run (dataset_columns.h). Numbers print so they
// read back exactly (fmt's shortest form: 300, 0.1), an empty cell is an empty field, text is quoted as RFC 4180
// says when it holds a comma, a quote or a line break. Pure; thread safe.
#pragma once

#include <string>
#include <vector>

#include "worker/dataset_columns.h"

namespace live2::worker {

std::string dataset_csv(const std::vector<DatasetColumn>& columns);

}  // namespace live2::worker
