# Reference numbers from R's strucchange, sandwich and lmtest for tests/test_breaks.py.
# Run once from this folder:  Rscript make_strucchange_reference.R
# (R 4.x; strucchange 1.5-3, sandwich 3.0-2, lmtest 0.9-40 from Debian's r-cran-* packages)
#
# Inputs: R's own Nile series (datasets::Nile, 1871-1970, the same 100 numbers as
# statsmodels.datasets.nile) and a simulated trend series (n = 120, 0-based time t, level and
# slope changing after t = 39 and t = 84, i.e. true breakpoints 40 and 85, noise sd 0.8),
# generated here with a fixed seed and written to strucchange_trend_series.csv.
# Outputs (all breakpoints in strucchange's convention: breakpoint b = the number of
# observations before the break = 1-based index of the last observation of the old regime):
#   strucchange_fit.csv      summary(breakpoints(...))$RSS: RSS and BIC for 0..5 breaks
#   strucchange_breaks.csv   breakpoints for every number of breaks, with confint()
#                            for het.reg = het.err = TRUE (the default, variant "het")
#                            and FALSE (variant "hom"); NA where confint() refuses
#   strucchange_coef.csv     coef() of the BIC-chosen segmented model
#   strucchange_tests.csv    Chow F (sctest(type = "Chow")), HAC Wald (lmtest::waldtest with
#                            sandwich::NeweyWest(lag = L, prewhite = FALSE, adjust = FALSE)
#                            on the interaction model, F form), sup-F (sctest(Fstats(...)),
#                            p-value from strucchange's Hansen (1997) approximation), OLS- and
#                            recursive CUSUM (sctest(type = "OLS-CUSUM" / "Rec-CUSUM"))
suppressMessages({
  library(strucchange)
  library(sandwich)
  library(lmtest)
})

set.seed(20240601)
n <- 120
trend <- seq_len(n) - 1  # 0-based time, as analysis.breaks builds x = "trend"
mu <- ifelse(trend < 40, 2 + 0.10 * trend, ifelse(trend < 85, 12 - 0.05 * trend, 2 + 0.12 * trend))
y <- round(mu + rnorm(n, sd = 0.8), 4)
write.csv(data.frame(trend = trend, y = y), "strucchange_trend_series.csv", row.names = FALSE)

nile <- as.numeric(Nile)
nile_trend <- seq_along(nile) - 1
data <- list(
  nile = list(formula = nile ~ 1, y = nile, trend = nile_trend, chow = 28, lags = 4),
  trend = list(formula = y ~ trend, y = y, trend = trend, chow = 40, lags = 3)
)
# no-break stretches, for tests with moderate p-values: the Nile after the dam (obs 29-100, 1899-1970)
# and the first regime of the trend series (obs 1-40)
nile_post <- nile[29:100]
trend_head <- trend[1:40]
y_head <- y[1:40]
quiet <- list(nile_post = list(formula = nile_post ~ 1, k = 1), trend_head = list(formula = y_head ~ trend_head, k = 2))

fit <- list()
brk <- list()
cf <- list()
tests <- list()
test_row <- function(dataset, test, point, lags, statistic, df1, df2, p, breakpoint = NA) {
  data.frame(dataset = dataset, test = test, point = point, lags = lags, statistic = unname(statistic),
             df1 = df1, df2 = df2, p_value = unname(p), breakpoint = breakpoint)
}
for (name in names(data)) {
  d <- data[[name]]
  f <- d$formula
  bp <- breakpoints(f)
  s <- summary(bp)
  fit[[name]] <- data.frame(dataset = name, n_breaks = 0:5, rss = s$RSS["RSS", ], bic = s$RSS["BIC", ])
  for (m in 1:5) {
    b <- breakpoints(bp, breaks = m)$breakpoints
    for (variant in c("het", "hom")) {
      het <- variant == "het"
      ci <- suppressWarnings(confint(bp, breaks = m, het.reg = het, het.err = het)$confint)
      brk[[length(brk) + 1]] <- data.frame(dataset = name, variant = variant, n_breaks = m,
                                           break_no = seq_len(m), breakpoint = b,
                                           lower = ci[, 1], upper = ci[, 3])
    }
  }
  co <- coef(bp)  # the BIC-chosen number of breaks
  cf[[name]] <- data.frame(dataset = name, n_breaks = length(bp$breakpoints),
                           segment = rep(seq_len(nrow(co)), ncol(co)),
                           term = rep(c("intercept", "trend")[seq_len(ncol(co))], each = nrow(co)),
                           estimate = as.vector(co))

  chow <- sctest(f, type = "Chow", point = d$chow)
  k <- if (name == "nile") 1 else 2
  tests[[length(tests) + 1]] <- test_row(name, "chow", d$chow, NA, chow$statistic, k, length(d$y) - 2 * k, chow$p.value)
  # HAC Wald test of the coefficient changes: y on X and D * X, D = 1 after the break
  after <- as.numeric(seq_along(d$y) > d$chow)
  yy <- d$y
  tt <- d$trend
  full <- if (k == 1) lm(yy ~ 1 + after) else lm(yy ~ tt + after + after:tt)
  restricted <- if (k == 1) lm(yy ~ 1) else lm(yy ~ tt)
  nw <- function(x) NeweyWest(x, lag = d$lags, prewhite = FALSE, adjust = FALSE)
  wt <- waldtest(restricted, full, vcov = nw, test = "F")
  tests[[length(tests) + 1]] <- test_row(name, "chow_hac", d$chow, d$lags, wt$F[2], k,
                                         wt$Res.Df[2], wt[["Pr(>F)"]][2])
  fs <- Fstats(f)
  sup <- sctest(fs, type = "supF")
  tests[[length(tests) + 1]] <- test_row(name, "sup_f", NA, NA, sup$statistic, k, NA, sup$p.value,
                                         fs$breakpoint)
  for (type in c("OLS-CUSUM", "Rec-CUSUM")) {
    cu <- sctest(f, type = type)
    tests[[length(tests) + 1]] <- test_row(name, type, NA, NA, cu$statistic, NA, NA, cu$p.value)
  }
}
for (name in names(quiet)) {
  f <- quiet[[name]]$formula
  sup <- sctest(Fstats(f), type = "supF")
  tests[[length(tests) + 1]] <- test_row(name, "sup_f", NA, NA, sup$statistic, quiet[[name]]$k, NA, sup$p.value,
                                         Fstats(f)$breakpoint)
  for (type in c("OLS-CUSUM", "Rec-CUSUM")) {
    cu <- sctest(f, type = type)
    tests[[length(tests) + 1]] <- test_row(name, type, NA, NA, cu$statistic, NA, NA, cu$p.value)
  }
}
options(digits = 15)
write.csv(do.call(rbind, fit), "strucchange_fit.csv", row.names = FALSE)
write.csv(do.call(rbind, brk), "strucchange_breaks.csv", row.names = FALSE)
write.csv(do.call(rbind, cf), "strucchange_coef.csv", row.names = FALSE)
write.csv(do.call(rbind, tests), "strucchange_tests.csv", row.names = FALSE)
print(do.call(rbind, fit), digits = 12)
print(do.call(rbind, brk))
print(do.call(rbind, cf), digits = 12)
print(do.call(rbind, tests), digits = 12)
