// SPDX-License-Identifier: BSL-1.0
// File: src/report/xlsx/write_xlsx.cpp
//
// The workbook (report/sheet.hpp) as an XLSX file, with libxlsxwriter in constant-memory mode:
// each sheet's rows are written in order and flushed to a temporary file as they come, so
// memory does not grow with the fleet. Every sheet has its header row frozen, a filter over its
// columns, number formats (counts "#,##0", money "#,##0.00", dates "yyyy-mm-dd") and fixed
// widths. Text is always written as a string cell, never as a formula: a title "=HYPERLINK(..)"
// stays that text. A sheet longer than the format's 1,048,576 rows continues on "NAME (2)", and
// so on, each with the header. The document's creation time is the as-of date, so the same
// position gives the same bytes.
#include <xlsxwriter.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <system_error>

#include "report/sheet.hpp"

namespace trueup::report {
namespace {

struct Formats {
  lxw_format* header = nullptr;
  lxw_format* integer = nullptr;
  lxw_format* money = nullptr;
  lxw_format* date = nullptr;
  lxw_format* flagged = nullptr;
};

Formats add_formats(lxw_workbook* wb) {
  Formats f;
  f.header = workbook_add_format(wb);
  format_set_bold(f.header);
  format_set_text_wrap(f.header);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_TOP);
  format_set_bottom(f.header, LXW_BORDER_THIN);
  f.integer = workbook_add_format(wb);
  format_set_num_format(f.integer, "#,##0");
  f.money = workbook_add_format(wb);
  format_set_num_format(f.money, "#,##0.00");
  f.date = workbook_add_format(wb);
  format_set_num_format(f.date, "yyyy-mm-dd");
  f.flagged = workbook_add_format(wb);
  format_set_bold(f.flagged);
  format_set_font_color(f.flagged, LXW_COLOR_RED);
  return f;
}

/// Writes one sheet, continued on further worksheets past `max_rows` rows. Returns the first
/// error libxlsxwriter reported, LXW_NO_ERROR when none.
class SheetWriter {
 public:
  SheetWriter(lxw_workbook* wb, const Formats& formats, const Sheet& sheet, std::size_t max_rows)
      : wb_(wb), f_(formats), sheet_(sheet), max_rows_(max_rows < 2 ? 2 : max_rows) {}

  lxw_error write() {
    open();
    sheet_.rows([this](const Row& row) {
      if (row_ == max_rows_) {
        close();
        open();
      }
      for (std::size_t c = 0; c < row.size(); ++c) cell(static_cast<lxw_col_t>(c), row[c]);
      ++row_;
    });
    close();
    return error_;
  }

 private:
  void check(lxw_error e) {
    if (error_ == LXW_NO_ERROR) error_ = e;
  }

  void open() {
    ++part_;
    const std::string name = part_ == 1 ? sheet_.name : sheet_.name + " (" + std::to_string(part_) + ")";
    ws_ = workbook_add_worksheet(wb_, name.c_str());
    if (ws_ == nullptr) {
      check(LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
      return;
    }
    for (std::size_t c = 0; c < sheet_.columns.size(); ++c) {
      const Column& col = sheet_.columns[c];
      check(worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), col.width, nullptr));
      check(worksheet_write_string(ws_, 0, static_cast<lxw_col_t>(c), clean_text(col.header).c_str(), f_.header));
    }
    worksheet_freeze_panes(ws_, 1, 0);
    row_ = 1;
  }

  void close() {
    if (ws_ != nullptr && !sheet_.columns.empty())
      check(worksheet_autofilter(ws_, 0, 0, static_cast<lxw_row_t>(row_ - 1),
                                 static_cast<lxw_col_t>(sheet_.columns.size() - 1)));
  }

  void cell(lxw_col_t c, const Cell& v) {
    if (ws_ == nullptr) return;
    const auto r = static_cast<lxw_row_t>(row_);
    switch (v.kind) {
      case Cell::Kind::empty: break;
      case Cell::Kind::text:
      case Cell::Kind::flagged:
        // A string cell whatever the text: worksheet_write_string never makes a formula.
        if (!v.text.empty())
          check(worksheet_write_string(ws_, r, c, clean_text(v.text).c_str(),
                                       v.kind == Cell::Kind::flagged ? f_.flagged : nullptr));
        break;
      case Cell::Kind::integer:
        check(worksheet_write_number(ws_, r, c, static_cast<double>(v.integer), f_.integer));
        break;
      case Cell::Kind::money:
        check(worksheet_write_number(ws_, r, c, std::strtod(v.money.str().c_str(), nullptr), f_.money));
        break;
      case Cell::Kind::date: {
        const Date d{static_cast<std::int32_t>(v.integer)};
        const std::string iso = d.iso();
        lxw_datetime dt{std::atoi(iso.substr(0, 4).c_str()),
                        std::atoi(iso.substr(5, 2).c_str()),
                        std::atoi(iso.substr(8, 2).c_str()),
                        0,
                        0,
                        0.0};
        check(worksheet_write_datetime(ws_, r, c, &dt, f_.date));
        break;
      }
    }
  }

  lxw_workbook* wb_;
  const Formats& f_;
  const Sheet& sheet_;
  std::size_t max_rows_;
  lxw_worksheet* ws_ = nullptr;
  std::size_t row_ = 0;
  unsigned part_ = 0;
  lxw_error error_ = LXW_NO_ERROR;
};

}  // namespace

Result<bool> write_sheets_xlsx(const std::filesystem::path& path, const std::vector<Sheet>& sheets, Date created,
                               std::size_t max_rows) {
  namespace fs = std::filesystem;
  const fs::path tmp = path.string() + ".trueup-tmp";
  auto fail = [&](const std::string& what) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return Result<bool>(Diagnostics{{Severity::error, path.string(), 0, 0, "write-failed", what}});
  };
  lxw_workbook_options wo{};
  wo.constant_memory = LXW_TRUE;
  wo.use_zip64 = LXW_TRUE;  // a million installs make a sheet larger than 4 GB uncompressed
  lxw_workbook* wb = workbook_new_opt(tmp.c_str(), &wo);
  if (wb == nullptr) return fail("expected a writable file, found it could not be created");
  lxw_doc_properties props{};
  props.created = static_cast<std::time_t>(created.days) * 86'400;
  workbook_set_properties(wb, &props);
  const Formats formats = add_formats(wb);
  lxw_error error = LXW_NO_ERROR;
  try {
    for (const Sheet& sheet : sheets) {
      const lxw_error e = SheetWriter(wb, formats, sheet, max_rows).write();
      if (error == LXW_NO_ERROR) error = e;
    }
  } catch (...) {
    workbook_close(wb);
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  errno = 0;
  const lxw_error closed = workbook_close(wb);
  const int os_error = errno;  // a full disk surfaces as the zip library's ZIP_ERRNO
  if (error == LXW_NO_ERROR) error = closed;
  if (error != LXW_NO_ERROR)
    return fail(std::string("expected to write the workbook, found: ") +
                (error == LXW_ERROR_ZIP_FILE_OPERATION && os_error != 0 ? std::generic_category().message(os_error)
                                                                        : std::string(lxw_strerror(error))) +
                " (nothing was replaced)");
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return fail("expected to replace the file, found: " + ec.message());
  return true;
}

Result<bool> write_xlsx(const std::filesystem::path& path, const Position& position, const RulePack& pack,
                        const Fleet& fleet, const WorkbookOptions& options) {
  return write_sheets_xlsx(path, workbook_sheets(position, pack, fleet, options), position.as_of, options.max_rows);
}

}  // namespace trueup::report
