// SPDX-License-Identifier: BSL-1.0
// File: src/solver/detail/glpk_mip.cpp
//
// detail::LexMip over GLPK: the program loaded once, each level minimised by the simplex
// method then branch and cut, its optimum fixed as a row before the next level, and the
// rounded solution re-checked in exact integer arithmetic (the header states why that is
// exact).
#include "solver/detail/glpk_mip.hpp"

#include <glpk.h>
#include <boost/multiprecision/cpp_int.hpp>

#include <cmath>
#include <memory>

#include "trueup/check.hpp"

namespace trueup::detail {
namespace {

using Problem = std::unique_ptr<glp_prob, decltype(&glp_delete_prob)>;
using Int128 = boost::multiprecision::int128_t;

void set_row_bounds(glp_prob* lp, int row, std::optional<std::int64_t> lower, std::optional<std::int64_t> upper) {
  const double lo = lower ? static_cast<double>(*lower) : 0.0;
  const double up = upper ? static_cast<double>(*upper) : 0.0;
  if (lower && upper)
    glp_set_row_bnds(lp, row, *lower == *upper ? GLP_FX : GLP_DB, lo, up);
  else if (lower)
    glp_set_row_bnds(lp, row, GLP_LO, lo, 0.0);
  else if (upper)
    glp_set_row_bnds(lp, row, GLP_UP, 0.0, up);
  else
    glp_set_row_bnds(lp, row, GLP_FR, 0.0, 0.0);
}

glp_iocp branch_and_cut_parameters() {
  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.presolve = GLP_OFF;  // the LP relaxation is solved first (glp_simplex), from the last basis
  parm.msg_lev = GLP_MSG_OFF;
  parm.mir_cuts = GLP_ON;
  parm.gmi_cuts = GLP_ON;
  parm.cov_cuts = GLP_ON;
  parm.tol_int = 1e-9;  // prices make rows of 10^6 magnitude: GLPK's defaults accept a unit of slack
  return parm;
}

std::vector<std::int64_t> column_values(glp_prob* lp, std::size_t columns) {
  std::vector<std::int64_t> x(columns, 0);
  for (std::size_t j = 0; j < columns; ++j) x[j] = std::llround(glp_mip_col_val(lp, static_cast<int>(j) + 1));
  return x;
}

/// Fixes `objective <= value` (an equality at the minimum) as a new row.
void fix_level(glp_prob* lp, const std::vector<LexMip::Term>& objective, std::size_t columns, double value) {
  const int row = glp_add_rows(lp, 1);
  std::vector<int> ind{0};
  std::vector<double> val{0.0};
  std::vector<double> merged(columns + 1, 0.0);
  for (const LexMip::Term& t : objective)
    merged[static_cast<std::size_t>(t.column) + 1] += static_cast<double>(t.coefficient);
  for (std::size_t j = 1; j < merged.size(); ++j)
    if (merged[j] != 0.0) {
      ind.push_back(static_cast<int>(j));
      val.push_back(merged[j]);
    }
  glp_set_mat_row(lp, row, static_cast<int>(ind.size()) - 1, ind.data(), val.data());
  glp_set_row_bnds(lp, row, GLP_UP, 0.0, value);
}

/// Loads the columns and rows into a new GLPK problem.
Problem load(const std::vector<std::pair<std::int64_t, std::int64_t>>& columns, const std::vector<LexMip::Row>& rows) {
  Problem holder(glp_create_prob(), &glp_delete_prob);
  glp_prob* lp = holder.get();
  glp_set_obj_dir(lp, GLP_MIN);
  glp_add_cols(lp, static_cast<int>(columns.size()));
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const int col = static_cast<int>(j) + 1;
    const auto [lo, up] = columns[j];
    if (up < 0)
      glp_set_col_bnds(lp, col, GLP_LO, static_cast<double>(lo), 0.0);
    else if (up == lo)
      glp_set_col_bnds(lp, col, GLP_FX, static_cast<double>(lo), static_cast<double>(lo));
    else
      glp_set_col_bnds(lp, col, GLP_DB, static_cast<double>(lo), static_cast<double>(up));
    glp_set_col_kind(lp, col, GLP_IV);
  }
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0.0};
  if (!rows.empty()) {
    const int first = glp_add_rows(lp, static_cast<int>(rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const int row = first + static_cast<int>(i);
      set_row_bounds(lp, row, rows[i].lower, rows[i].upper);
      for (const LexMip::Term& t : rows[i].terms) {
        ia.push_back(row);
        ja.push_back(t.column + 1);
        ar.push_back(static_cast<double>(t.coefficient));
      }
    }
  }
  glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
  return holder;
}

}  // namespace

std::optional<std::vector<std::int64_t>> LexMip::solve() const {
  if (columns_.empty()) return std::vector<std::int64_t>{};
  glp_term_out(GLP_OFF);
  const Problem holder = load(columns_, rows_);
  glp_prob* lp = holder.get();
  glp_iocp parm = branch_and_cut_parameters();
  std::vector<std::int64_t> x(columns_.size(), 0);
  std::vector<std::int64_t> optimum;  // per level, as found
  for (const auto& objective : objectives_) {
    for (std::size_t j = 0; j < columns_.size(); ++j) glp_set_obj_coef(lp, static_cast<int>(j) + 1, 0.0);
    for (const Term& t : objective)
      glp_set_obj_coef(lp, t.column + 1, glp_get_obj_coef(lp, t.column + 1) + static_cast<double>(t.coefficient));
    glp_smcp lp_parm;
    glp_init_smcp(&lp_parm);
    lp_parm.msg_lev = GLP_MSG_OFF;
    lp_parm.presolve = GLP_OFF;
    lp_parm.tol_bnd = 1e-10;
    lp_parm.tol_dj = 1e-10;
    if (glp_simplex(lp, &lp_parm) != 0 || glp_get_status(lp) == GLP_NOFEAS) return std::nullopt;
    const int rc = glp_intopt(lp, &parm);
    if (rc == GLP_ENOPFS || rc == GLP_ENODFS) return std::nullopt;
    TRUEUP_CHECK(rc == 0, "GLPK's branch and cut finishes on a bounded integer program");
    const int status = glp_mip_status(lp);
    if (status == GLP_NOFEAS) return std::nullopt;
    TRUEUP_CHECK(status == GLP_OPT, "the integer program's optimum is proven");
    optimum.push_back(std::llround(glp_mip_obj_val(lp)));
    fix_level(lp, objective, columns_.size(), static_cast<double>(optimum.back()));
    x = column_values(lp, columns_.size());
  }
  if (objectives_.empty()) {
    glp_smcp lp_parm;
    glp_init_smcp(&lp_parm);
    lp_parm.msg_lev = GLP_MSG_OFF;
    if (glp_simplex(lp, &lp_parm) != 0) return std::nullopt;
    const int rc = glp_intopt(lp, &parm);
    if (rc != 0 || glp_mip_status(lp) != GLP_OPT) return std::nullopt;
    x = column_values(lp, columns_.size());
  }
  TRUEUP_CHECK(satisfied(x), "the rounded integer solution satisfies every row exactly");
  // Every level's optimum holds for the final solution, in integers: a later level never
  // traded away an earlier one within GLPK's floating-point tolerances.
  for (std::size_t k = 0; k < objectives_.size(); ++k) {
    Int128 v = 0;
    for (const Term& t : objectives_[k]) v += Int128(t.coefficient) * x[static_cast<std::size_t>(t.column)];
    TRUEUP_CHECK(v == optimum[k], "the final solution keeps every level's optimum exactly");
  }
  return x;
}

bool LexMip::satisfied(const std::vector<std::int64_t>& x) const {
  for (std::size_t j = 0; j < columns_.size(); ++j)
    if (x[j] < columns_[j].first || (columns_[j].second >= 0 && x[j] > columns_[j].second)) return false;
  for (const Row& r : rows_) {
    Int128 sum = 0;
    for (const Term& t : r.terms) sum += Int128(t.coefficient) * x[static_cast<std::size_t>(t.column)];
    if ((r.lower && sum < *r.lower) || (r.upper && sum > *r.upper)) return false;
  }
  return true;
}

}  // namespace trueup::detail
