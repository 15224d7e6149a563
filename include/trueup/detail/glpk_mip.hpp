// SPDX-License-Identifier: BSL-1.0
// File: trueup/detail/glpk_mip.hpp
//
// A small lexicographic integer program over GLPK's branch and cut (glp_intopt), for the
// parts of the licensing problem that are not network flows (solver/host_solver.hpp; the CAL
// stage in reconcile.hpp). No stability promise.
//
// Exactness: every column is integral and every coefficient is an integer well inside 2^53,
// so GLPK's floating-point arithmetic represents every objective value exactly; the optimum
// of level k is fixed as an equality row (`objective_k = value`, rounded to the integer it
// must be) before level k+1 is minimised. GLPK proves optimality of each level (the search
// ends with no open node, mip gap 0). The caller rounds the solution and re-checks every row
// in exact integer arithmetic (`satisfied`).
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <glpk.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "trueup/check.hpp"

namespace trueup::detail {

class LexMip {
 public:
  struct Term {
    int column;
    std::int64_t coefficient;
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
  [[nodiscard]] std::optional<std::vector<std::int64_t>> solve() const {
    if (columns_.empty()) return std::vector<std::int64_t>{};
    glp_term_out(GLP_OFF);
    const std::unique_ptr<glp_prob, decltype(&glp_delete_prob)> holder(glp_create_prob(), &glp_delete_prob);
    glp_prob* lp = holder.get();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_cols(lp, static_cast<int>(columns_.size()));
    for (std::size_t j = 0; j < columns_.size(); ++j) {
      const int col = static_cast<int>(j) + 1;
      const auto [lo, up] = columns_[j];
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
    auto add_rows = [&](const std::vector<Row>& rows) {
      const int first = glp_add_rows(lp, static_cast<int>(rows.size()));
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const Row& r = rows[i];
        const int row = first + static_cast<int>(i);
        const double lo = r.lower ? static_cast<double>(*r.lower) : 0.0;
        const double up = r.upper ? static_cast<double>(*r.upper) : 0.0;
        if (r.lower && r.upper)
          glp_set_row_bnds(lp, row, *r.lower == *r.upper ? GLP_FX : GLP_DB, lo, up);
        else if (r.lower)
          glp_set_row_bnds(lp, row, GLP_LO, lo, 0.0);
        else if (r.upper)
          glp_set_row_bnds(lp, row, GLP_UP, 0.0, up);
        else
          glp_set_row_bnds(lp, row, GLP_FR, 0.0, 0.0);
        for (const Term& t : r.terms) {
          ia.push_back(row);
          ja.push_back(t.column + 1);
          ar.push_back(static_cast<double>(t.coefficient));
        }
      }
    };
    if (!rows_.empty()) add_rows(rows_);
    glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());

    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_OFF;  // the LP relaxation is solved first (glp_simplex), from the last basis
    parm.msg_lev = GLP_MSG_OFF;
    parm.mir_cuts = GLP_ON;
    parm.gmi_cuts = GLP_ON;
    parm.cov_cuts = GLP_ON;
    parm.tol_int = 1e-9;  // prices make rows of 10^6 magnitude: GLPK's defaults accept a unit of slack
    std::vector<std::int64_t> x(columns_.size(), 0);
    std::vector<std::int64_t> optimum;  // per level, as found
    for (const auto& objective : objectives_) {
      for (std::size_t j = 0; j < columns_.size(); ++j) glp_set_obj_coef(lp, static_cast<int>(j) + 1, 0.0);
      for (const Term& t : objective)
        glp_set_obj_coef(lp, t.column + 1,
                         glp_get_obj_coef(lp, t.column + 1) + static_cast<double>(t.coefficient));
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
      const auto value = static_cast<double>(std::llround(glp_mip_obj_val(lp)));
      optimum.push_back(std::llround(glp_mip_obj_val(lp)));
      // Fix this level's optimum (a new equality row) before the next level.
      const int row = glp_add_rows(lp, 1);
      std::vector<int> ind{0};
      std::vector<double> val{0.0};
      std::vector<double> merged(columns_.size() + 1, 0.0);
      for (const Term& t : objective) merged[static_cast<std::size_t>(t.column) + 1] += static_cast<double>(t.coefficient);
      for (std::size_t j = 1; j < merged.size(); ++j)
        if (merged[j] != 0.0) {
          ind.push_back(static_cast<int>(j));
          val.push_back(merged[j]);
        }
      glp_set_mat_row(lp, row, static_cast<int>(ind.size()) - 1, ind.data(), val.data());
      glp_set_row_bnds(lp, row, GLP_UP, 0.0, value);  // minimised: <= is = at the optimum
      for (std::size_t j = 0; j < columns_.size(); ++j)
        x[j] = std::llround(glp_mip_col_val(lp, static_cast<int>(j) + 1));
    }
    if (objectives_.empty()) {
      glp_smcp lp_parm;
      glp_init_smcp(&lp_parm);
      lp_parm.msg_lev = GLP_MSG_OFF;
      if (glp_simplex(lp, &lp_parm) != 0) return std::nullopt;
      const int rc = glp_intopt(lp, &parm);
      if (rc != 0 || glp_mip_status(lp) != GLP_OPT) return std::nullopt;
      for (std::size_t j = 0; j < columns_.size(); ++j)
        x[j] = std::llround(glp_mip_col_val(lp, static_cast<int>(j) + 1));
    }
    TRUEUP_CHECK(satisfied(x), "the rounded integer solution satisfies every row exactly");
    // Every level's optimum holds for the final solution, in integers: a later level never
    // traded away an earlier one within GLPK's floating-point tolerances.
    for (std::size_t k = 0; k < objectives_.size(); ++k) {
      boost::multiprecision::int128_t v = 0;
      for (const Term& t : objectives_[k]) v += boost::multiprecision::int128_t(t.coefficient) * x[static_cast<std::size_t>(t.column)];
      TRUEUP_CHECK(v == optimum[k], "the final solution keeps every level's optimum exactly");
    }
    return x;
  }

  /// Every bound and row holds for `x`, in exact integer arithmetic.
  [[nodiscard]] bool satisfied(const std::vector<std::int64_t>& x) const {
    for (std::size_t j = 0; j < columns_.size(); ++j)
      if (x[j] < columns_[j].first || (columns_[j].second >= 0 && x[j] > columns_[j].second)) return false;
    for (const Row& r : rows_) {
      boost::multiprecision::int128_t sum = 0;
      for (const Term& t : r.terms) sum += boost::multiprecision::int128_t(t.coefficient) * x[static_cast<std::size_t>(t.column)];
      if ((r.lower && sum < *r.lower) || (r.upper && sum > *r.upper)) return false;
    }
    return true;
  }

 private:
  struct Row {
    std::vector<Term> terms;
    std::optional<std::int64_t> lower, upper;
  };
  std::vector<std::pair<std::int64_t, std::int64_t>> columns_;
  std::vector<Row> rows_;
  std::vector<std::vector<Term>> objectives_;
};

}  // namespace trueup::detail
