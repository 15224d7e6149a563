// SPDX-License-Identifier: BSL-1.0
// File: src/solver/detail/glpk_mip.hpp
//
// A small lexicographic integer program over GLPK's branch and cut (glp_intopt), for the
// parts of the licensing problem that are not network flows (solver/host_solver.hpp; the CAL
// stage, src/core/access_stage.cpp). No stability promise.
//
// Exactness: every column is integral and every coefficient is an integer well inside 2^53,
// so GLPK's floating-point arithmetic represents every objective value exactly; the optimum
// of level k is fixed as an equality row (`objective_k = value`, rounded to the integer it
// must be) before level k+1 is minimised. GLPK proves optimality of each level (the search
// ends with no open node, mip gap 0). The caller rounds the solution and re-checks every row
// in exact integer arithmetic (`satisfied`).
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace trueup::detail {

class LexMip {
 public:
  struct Term {
    int column;
    std::int64_t coefficient;
  };
  struct Row {
    std::vector<Term> terms;
    std::optional<std::int64_t> lower, upper;
  };

  /// Adds an integer column with bounds [lower, upper] (upper < 0: unbounded above).
  int add_column(std::int64_t lower, std::int64_t upper) {
    columns_.push_back({lower, upper});
    return static_cast<int>(columns_.size()) - 1;
  }
  /// sum(terms) in [lower, upper]; nullopt bounds are open.
  void add_row(std::vector<Term> terms, std::optional<std::int64_t> lower, std::optional<std::int64_t> upper) {
    rows_.push_back({std::move(terms), lower, upper});
  }
  /// Objectives, minimised in order.
  void add_objective(std::vector<Term> terms) { objectives_.push_back(std::move(terms)); }
  [[nodiscard]] std::size_t columns() const { return columns_.size(); }

  /// The lexicographic optimum, or nullopt when infeasible.
  [[nodiscard]] std::optional<std::vector<std::int64_t>> solve() const;

  /// Every bound and row holds for `x`, in exact integer arithmetic.
  [[nodiscard]] bool satisfied(const std::vector<std::int64_t>& x) const;

 private:
  std::vector<std::pair<std::int64_t, std::int64_t>> columns_;
  std::vector<Row> rows_;
  std::vector<std::vector<Term>> objectives_;
};

}  // namespace trueup::detail
