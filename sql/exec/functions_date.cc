// Date and time functions with MySQL's rules: arguments may be DATE / DATETIME values or text in their
// formats; anything else (or an impossible date) gives NULL with warning 1292, as MySQL does.
#include <cstdio>
#include <string>

#include "sql/exec/column_types.h"
#include "sql/exec/functions.h"
#include "sql/session.h"

namespace floe::sql {
namespace {

using Args = FunctionArgs;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

DateTime civil_from_days(int64_t z) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp + (mp < 10 ? 3 : -9);
    DateTime out;
    out.year = static_cast<int16_t>(y + (m <= 2));
    out.month = static_cast<uint8_t>(m);
    out.day = static_cast<uint8_t>(d);
    return out;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// The argument as a date-time; `date_only` tells whether it had no time part. nullopt (after warning 1292)
// for values that are not dates.
std::optional<DateTime> as_datetime(const Value& v, EvalContext& ctx, bool* date_only = nullptr) {
    if (date_only) *date_only = false;
    if (v.kind() == ValueKind::kDate || v.kind() == ValueKind::kDateTime || v.kind() == ValueKind::kTime) {
        if (date_only) *date_only = v.kind() == ValueKind::kDate;
        return v.datetime_value();
    }
    if (v.is_string()) {
        if (auto d = parse_temporal(v.string_value(), storage::ColumnType::kDateTime)) {
            if (date_only) *date_only = v.string_value().find(':') == std::string::npos;
            return d;
        }
    }
    if (v.is_integer() && v.to_int() > 0) {
        int64_t n = v.to_int();  // YYYYMMDD
        DateTime d;
        d.year = static_cast<int16_t>(n / 10000);
        d.month = static_cast<uint8_t>(n / 100 % 100);
        d.day = static_cast<uint8_t>(n % 100);
        if (d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= days_in_month(d.year, d.month)) {
            if (date_only) *date_only = true;
            return d;
        }
    }
    ctx.session.add_warning(ErrorCode::ER_TRUNCATED_WRONG_VALUE,
                            make_error(ErrorCode::ER_TRUNCATED_WRONG_VALUE, {"datetime", v.to_text()}).message);
    return std::nullopt;
}

// A date part function: NULL in, NULL out; a zero date gives its zero fields.
template <int64_t (*Part)(const DateTime&)>
Result<Value> date_part(const Args& a, EvalContext& ctx, const Expr&) {
    if (a[0].is_null()) return Value::null();
    auto d = as_datetime(a[0], ctx);
    if (!d) return Value::null();
    return Value::from_int(Part(*d));
}

int64_t part_year(const DateTime& d) { return d.year; }
int64_t part_month(const DateTime& d) { return d.month; }
int64_t part_day(const DateTime& d) { return d.day; }
int64_t part_hour(const DateTime& d) { return d.hour; }
int64_t part_minute(const DateTime& d) { return d.minute; }
int64_t part_second(const DateTime& d) { return d.second; }
int64_t part_quarter(const DateTime& d) { return (d.month + 2) / 3; }
int64_t part_dayofyear(const DateTime& d) {
    return days_from_civil(d.year, d.month, d.day) - days_from_civil(d.year, 1, 1) + 1;
}
int64_t part_dayofweek(const DateTime& d) {  // 1 = Sunday
    int64_t days = days_from_civil(d.year, d.month, d.day);  // 1970-01-01 was a Thursday
    return ((days % 7 + 7 + 4) % 7) + 1;
}
int64_t part_weekday(const DateTime& d) { return (part_dayofweek(d) + 5) % 7; }  // 0 = Monday
int64_t part_to_days(const DateTime& d) { return days_from_civil(d.year, d.month, d.day) + 719528; }

bool valid_date(const DateTime& d) {
    return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

Result<Value> fn_date(const Args& a, EvalContext& ctx, const Expr&) {
    if (a[0].is_null()) return Value::null();
    auto d = as_datetime(a[0], ctx);
    if (!d) return Value::null();
    d->hour = d->minute = d->second = 0;
    d->micros = 0;
    return Value::from_datetime(ValueKind::kDate, *d);
}

Result<Value> fn_datediff(const Args& a, EvalContext& ctx, const Expr&) {
    if (a[0].is_null() || a[1].is_null()) return Value::null();
    auto x = as_datetime(a[0], ctx);
    auto y = as_datetime(a[1], ctx);
    if (!x || !y || !valid_date(*x) || !valid_date(*y)) return Value::null();
    return Value::from_int(days_from_civil(x->year, x->month, x->day) - days_from_civil(y->year, y->month, y->day));
}

Result<Value> fn_last_day(const Args& a, EvalContext& ctx, const Expr&) {
    if (a[0].is_null()) return Value::null();
    auto d = as_datetime(a[0], ctx);
    if (!d || d->month < 1 || d->month > 12) return Value::null();
    DateTime out;
    out.year = d->year;
    out.month = d->month;
    out.day = static_cast<uint8_t>(days_in_month(d->year, d->month));
    return Value::from_datetime(ValueKind::kDate, out);
}

Result<Value> fn_from_days(const Args& a, EvalContext&, const Expr&) {
    if (a[0].is_null()) return Value::null();
    int64_t n = a[0].to_int();
    if (n < 366) return Value::from_datetime(ValueKind::kDate, DateTime{});
    return Value::from_datetime(ValueKind::kDate, civil_from_days(n - 719528));
}

// DATE_ADD / DATE_SUB: units MICROSECOND ... YEAR; month arithmetic clamps the day to the month's last.
Result<Value> add_interval(const Args& a, EvalContext& ctx, const Expr& e, bool subtract) {
    if (a[0].is_null() || a[1].is_null()) return Value::null();
    bool date_only = false;
    auto d = as_datetime(a[0], ctx, &date_only);
    if (!d || !valid_date(*d)) return Value::null();
    std::string unit = e.literal.is_null() ? "day" : e.literal.to_text();
    int64_t n = a[1].to_int();
    if (subtract) n = -n;
    DateTime r = *d;
    if (unit == "year" || unit == "quarter" || unit == "month") {
        int64_t months = unit == "year" ? n * 12 : unit == "quarter" ? n * 3 : n;
        int64_t total = static_cast<int64_t>(r.year) * 12 + (r.month - 1) + months;
        if (total < 0 || total >= 10000 * 12) return Value::null();
        r.year = static_cast<int16_t>(total / 12);
        r.month = static_cast<uint8_t>(total % 12 + 1);
        r.day = static_cast<uint8_t>(std::min<int>(r.day, days_in_month(r.year, r.month)));
    } else {
        int64_t micros_per = unit == "week" ? 604800000000LL : unit == "day" ? 86400000000LL
                             : unit == "hour" ? 3600000000LL : unit == "minute" ? 60000000LL
                             : unit == "second" ? 1000000LL : unit == "microsecond" ? 1 : 0;
        if (micros_per == 0) return make_error(ErrorCode::ER_PARSE_ERROR, {unit, "1"});
        int64_t day_micros = 86400000000LL;
        int64_t t = (days_from_civil(r.year, r.month, r.day) * day_micros) +
                    ((r.hour * 3600LL + r.minute * 60LL + r.second) * 1000000LL + r.micros) + n * micros_per;
        int64_t days = t >= 0 ? t / day_micros : -((-t + day_micros - 1) / day_micros);
        int64_t rest = t - days * day_micros;
        DateTime c = civil_from_days(days);
        if (c.year < 0 || c.year > 9999) return Value::null();
        c.hour = static_cast<uint8_t>(rest / 3600000000LL);
        c.minute = static_cast<uint8_t>(rest / 60000000LL % 60);
        c.second = static_cast<uint8_t>(rest / 1000000LL % 60);
        c.micros = static_cast<uint32_t>(rest % 1000000LL);
        r = c;
        if (!(unit == "day" || unit == "week")) date_only = false;
    }
    bool keep_date = date_only && (unit == "day" || unit == "week" || unit == "month" || unit == "quarter" || unit == "year");
    Value out = Value::from_datetime(keep_date ? ValueKind::kDate : ValueKind::kDateTime, r);
    // Text in, text out (MySQL returns a string for a string argument).
    if (a[0].is_string()) return Value::from_string(out.to_text());
    return out;
}

Result<Value> fn_date_add(const Args& a, EvalContext& ctx, const Expr& e) { return add_interval(a, ctx, e, false); }
Result<Value> fn_date_sub(const Args& a, EvalContext& ctx, const Expr& e) { return add_interval(a, ctx, e, true); }

Result<Value> fn_date_format(const Args& a, EvalContext& ctx, const Expr&) {
    if (a[0].is_null() || a[1].is_null()) return Value::null();
    auto d = as_datetime(a[0], ctx);
    if (!d) return Value::null();
    static const char* kMonths[] = {"January", "February", "March", "April", "May", "June", "July",
                                    "August", "September", "October", "November", "December"};
    static const char* kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    std::string fmt = a[1].to_text(), out;
    char buf[32];
    for (size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != '%' || i + 1 == fmt.size()) {
            out += fmt[i];
            continue;
        }
        char c = fmt[++i];
        int h12 = d->hour % 12 == 0 ? 12 : d->hour % 12;
        switch (c) {
            case 'Y': std::snprintf(buf, sizeof buf, "%04d", d->year); break;
            case 'y': std::snprintf(buf, sizeof buf, "%02d", d->year % 100); break;
            case 'm': std::snprintf(buf, sizeof buf, "%02d", d->month); break;
            case 'c': std::snprintf(buf, sizeof buf, "%d", d->month); break;
            case 'd': std::snprintf(buf, sizeof buf, "%02d", d->day); break;
            case 'e': std::snprintf(buf, sizeof buf, "%d", d->day); break;
            case 'H': std::snprintf(buf, sizeof buf, "%02d", d->hour); break;
            case 'k': std::snprintf(buf, sizeof buf, "%d", d->hour); break;
            case 'h':
            case 'I': std::snprintf(buf, sizeof buf, "%02d", h12); break;
            case 'l': std::snprintf(buf, sizeof buf, "%d", h12); break;
            case 'i': std::snprintf(buf, sizeof buf, "%02d", d->minute); break;
            case 's':
            case 'S': std::snprintf(buf, sizeof buf, "%02d", d->second); break;
            case 'f': std::snprintf(buf, sizeof buf, "%06u", d->micros); break;
            case 'p': std::snprintf(buf, sizeof buf, "%s", d->hour < 12 ? "AM" : "PM"); break;
            case 'T': std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", d->hour, d->minute, d->second); break;
            case 'r':
                std::snprintf(buf, sizeof buf, "%02d:%02d:%02d %s", h12, d->minute, d->second, d->hour < 12 ? "AM" : "PM");
                break;
            case 'j': std::snprintf(buf, sizeof buf, "%03lld", static_cast<long long>(part_dayofyear(*d))); break;
            case 'M': std::snprintf(buf, sizeof buf, "%s", d->month ? kMonths[d->month - 1] : ""); break;
            case 'b': std::snprintf(buf, sizeof buf, "%.3s", d->month ? kMonths[d->month - 1] : ""); break;
            case 'W': std::snprintf(buf, sizeof buf, "%s", valid_date(*d) ? kDays[part_dayofweek(*d) - 1] : ""); break;
            case 'a': std::snprintf(buf, sizeof buf, "%.3s", valid_date(*d) ? kDays[part_dayofweek(*d) - 1] : ""); break;
            case 'w': std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(part_dayofweek(*d) - 1)); break;
            default: buf[0] = c, buf[1] = '\0'; break;
        }
        out += buf;
    }
    return Value::from_string(std::move(out));
}

// Sorted by name.
constexpr FunctionDef kDateFunctions[] = {
    {"date", 1, 1, fn_date},
    {"date_add", 2, 2, fn_date_add},
    {"date_format", 2, 2, fn_date_format},
    {"date_sub", 2, 2, fn_date_sub},
    {"datediff", 2, 2, fn_datediff},
    {"day", 1, 1, date_part<part_day>},
    {"dayofmonth", 1, 1, date_part<part_day>},
    {"dayofweek", 1, 1, date_part<part_dayofweek>},
    {"dayofyear", 1, 1, date_part<part_dayofyear>},
    {"from_days", 1, 1, fn_from_days},
    {"hour", 1, 1, date_part<part_hour>},
    {"last_day", 1, 1, fn_last_day},
    {"minute", 1, 1, date_part<part_minute>},
    {"month", 1, 1, date_part<part_month>},
    {"quarter", 1, 1, date_part<part_quarter>},
    {"second", 1, 1, date_part<part_second>},
    {"to_days", 1, 1, date_part<part_to_days>},
    {"weekday", 1, 1, date_part<part_weekday>},
    {"year", 1, 1, date_part<part_year>},
};

}  // namespace

std::span<const FunctionDef> date_functions() { return kDateFunctions; }

}  // namespace floe::sql
