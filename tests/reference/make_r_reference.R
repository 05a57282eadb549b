# Reference numbers from R's survey package for tests/test_indices_vs_r.py and tests/test_fpc.py.
# Run once from this folder:  Rscript make_r_reference.R   (R 4.x, survey 4.1-1 from Debian's r-cran-survey)
# Input: design_sample.csv (written by make_design_sample.py). Output: r_survey_reference.csv; fpc_served.csv
# (the number served per unit, a unit being a cluster of the sample, and "Z", a unit nobody in the sample
# answered for) and r_fpc_reference.csv, the same numbers with the finite population correction (fpc = ~N).
suppressMessages(library(survey))
d <- read.csv("design_sample.csv", stringsAsFactors = FALSE)
sat <- function(a) ifelse(is.na(a), NA, as.numeric(a >= 4))
d$sat_access1 <- sat(d$a_access1)
# respondent score: mean over components (access, staff) of the share of answered items rated 4-5
staff_share <- rowMeans(cbind(sat(d$a_staff1), sat(d$a_staff2)), na.rm = TRUE)
staff_share[is.nan(staff_share)] <- NA
d$score <- rowMeans(cbind(d$sat_access1, staff_share), na.rm = TRUE)
d$score[is.nan(d$score)] <- NA
d$mean_access1 <- as.numeric(d$a_access1)

reference <- function(designs) {
  out <- list()
  add <- function(design, quantity, domain, estimate, se, ci_low = NA, ci_high = NA, df = NA) {
    out[[length(out) + 1]] <<- data.frame(design = design, quantity = quantity, domain = domain,
      estimate = as.numeric(estimate), se = as.numeric(se), ci_low = as.numeric(ci_low),
      ci_high = as.numeric(ci_high), df = as.numeric(df))
  }
  for (name in names(designs)) {
    des <- designs[[name]]
    for (v in c("sat_access1", "score", "mean_access1")) {
      f <- as.formula(paste0("~", v))
      # subset() keeps every PSU of the design (zero weights), so this is domain estimation;
      # svyby(covmat = TRUE) does not accept na.rm, hence the subset first
      answered <- subset(des, !is.na(des$variables[[v]]))
      by <- svyby(f, ~channel, answered, svymean, covmat = TRUE)
      se <- SE(by)
      for (k in seq_along(rownames(by))) add(name, v, rownames(by)[k], coef(by)[k], se[k])
      contrast <- svycontrast(by, c(direct = 1, online = -1))
      add(name, paste0(v, ":direct-online"), "all", coef(contrast)[1], SE(contrast)[1])
      all <- svymean(f, answered)
      add(name, v, "all", coef(all)[1], SE(all)[1])
    }
    for (ch in c("direct", "online", "all")) {
      sub <- if (ch == "all") des else subset(des, channel == ch)
      sub <- subset(sub, !is.na(sat_access1))
      ci <- svyciprop(~sat_access1, sub, method = "xlogit")
      add(name, "ciprop_sat_access1", ch, as.numeric(ci), sqrt(attr(ci, "var")),
          confint(ci)[1], confint(ci)[2], degf(sub))
    }
  }
  result <- do.call(rbind, out)
  print(result, digits = 10)
  result
}

result <- reference(list(
  stratified = svydesign(ids = ~1, strata = ~stratum, weights = ~weight, data = d),
  clustered = svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, data = d, nest = TRUE)
))
write.csv(result, "r_survey_reference.csv", row.names = FALSE)

# the number served: 2, 3 or 5 times a unit's respondents, plus 0-3; unit Z served 400 and is not sampled
units <- sort(unique(d$psu))
k <- seq_along(units)
served <- data.frame(unit_id = c(units, "Z"), period = d$period[1],
                     served = c(as.integer(table(d$psu)[units]) * c(2, 3, 5)[k %% 3 + 1] + k %% 4, 400))
write.csv(served, "fpc_served.csv", row.names = FALSE)
sampled <- served[served$unit_id != "Z", ]
d$N_stratum <- ave(sampled$served[match(d$psu, sampled$unit_id)] * !duplicated(d$psu), d$stratum, FUN = sum)
d$N_all <- sum(served$served)  # one stratum: every unit served, sampled or not
result <- reference(list(
  stratified = svydesign(ids = ~1, strata = ~stratum, weights = ~weight, fpc = ~N_stratum, data = d),
  unstratified = svydesign(ids = ~1, weights = ~weight, fpc = ~N_all, data = d)
))
write.csv(result, "r_fpc_reference.csv", row.names = FALSE)
