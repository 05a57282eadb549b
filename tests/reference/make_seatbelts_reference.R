# Reference numbers from R's lm for the level-change-only interrupted time series
# (analysis.analyses.policy.interrupted_time_series), tested in tests/test_its_methods.py.
# Run once from this folder:  Rscript make_seatbelts_reference.R
# (R 4.x; sandwich 3.0-2, lmtest 0.9-40 from Debian's r-cran-* packages)
#
# Input: R's own datasets::Seatbelts (UK car drivers killed per month, 1969-01 to 1984-12; the seat-belt
# law from 1983-02), written to seatbelts.csv as period (YYYY-MM), drivers_killed, law.
# Output seatbelts_reference.csv, the law's effects, t = 1..192, January the reference month:
#   form = level         lm(log(DriversKilled) ~ t + law + factor(month)): term level (the law's coefficient)
#   form = level_slope   the same plus slope = law * (t - 170) (1983-02 is t = 170): terms level, slope and
#                        total = level + 22 slope (the change by 1984-12, 22 months after the first post month)
#   errors = ols         plain OLS: estimate, se, t interval (df.residual) and p-value
#   errors = newey-west  sandwich::NeweyWest(lag = 4, prewhite = FALSE, adjust = FALSE), normal interval
#                        and p-value (df = Inf, as lmtest::coeftest(df = Inf)); lag 4 = floor(4 (192 / 100)^(2/9))
suppressMessages({
  library(sandwich)
  library(lmtest)
})

period <- sprintf("%d-%02d", floor(time(Seatbelts) + 1e-6), cycle(Seatbelts))
d <- data.frame(period = period, drivers_killed = as.numeric(Seatbelts[, "DriversKilled"]),
                law = as.numeric(Seatbelts[, "law"]))
write.csv(d, "seatbelts.csv", row.names = FALSE)

d$t <- seq_len(nrow(d))
d$month <- factor(cycle(Seatbelts))
d$slope <- d$law * (d$t - 170)
lags <- floor(4 * (nrow(d) / 100)^(2 / 9))
combination <- function(fit, vcov, weights, df) {
  estimate <- sum(weights * coef(fit))
  se <- sqrt(drop(t(weights) %*% vcov %*% weights))
  q <- qt(0.975, df)
  data.frame(estimate = estimate, se = se, ci_low = estimate - q * se, ci_high = estimate + q * se,
             p_value = 2 * pt(-abs(estimate / se), df), df = df)
}
forms <- list(level = list(formula = log(drivers_killed) ~ t + law + month, terms = list(level = c(law = 1))),
              level_slope = list(formula = log(drivers_killed) ~ t + law + slope + month,
                                 terms = list(level = c(law = 1), slope = c(slope = 1),
                                              total = c(law = 1, slope = 22))))
rows <- list()
for (form in names(forms)) {
  fit <- lm(forms[[form]]$formula, data = d)
  errors <- list(ols = list(vcov = vcov(fit), df = df.residual(fit), lags = NA),
                 "newey-west" = list(vcov = NeweyWest(fit, lag = lags, prewhite = FALSE, adjust = FALSE),
                                     df = Inf, lags = lags))
  for (kind in names(errors)) {
    for (term in names(forms[[form]]$terms)) {
      weights <- setNames(rep(0, length(coef(fit))), names(coef(fit)))
      picked <- forms[[form]]$terms[[term]]
      weights[names(picked)] <- picked
      e <- errors[[kind]]
      rows[[length(rows) + 1]] <- cbind(data.frame(form = form, errors = kind, term = term),
                                        combination(fit, e$vcov, weights, e$df), lags = e$lags)
    }
  }
}
reference <- do.call(rbind, rows)
# the plain-OLS level-only row is R's own summary() and confint()
check <- lm(log(drivers_killed) ~ t + law + month, data = d)
stopifnot(all.equal(reference$ci_low[1], unname(confint(check)["law", 1])),
          all.equal(reference$p_value[1], unname(summary(check)$coefficients["law", 4])))
write.csv(reference, "seatbelts_reference.csv", row.names = FALSE)
