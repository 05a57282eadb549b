# Reference values for tests/test_drivers.py: relative importance computed in base R.
#
# Data: R's datasets::swiss (Fertility and socio-economic indicators of 47
# French-speaking Swiss provinces, 1888; Mosteller and Tukey 1977), the
# example of Groemping (2006), "Relative importance for linear regression in R:
# the package relaimpo", Journal of Statistical Software 17(1).  A weight
# column (1, 2, 3, 1, 2, 3, ...) is added for the weighted case.
#
# LMG: the R² of lm() (weighted R² with weights) for every subset of the
# regressors, combined with the Shapley weights |S|! (p - |S| - 1)! / p!.
# Johnson (2000), Multivariate Behavioral Research 35(1): R_XX = V diag(l) V',
# Lambda = V diag(sqrt(l)) V', beta = Lambda^-1 r_XY, weights = Lambda^2 beta^2
# (the formula as written out by Tonidandel and LeBreton 2011), on cor() or,
# weighted, cov.wt(..., cor = TRUE).
#
# relaimpo is not installed here; nothing below depends on it.
# Run from this folder:  Rscript make_drivers_reference.R
# Writes drivers_swiss.csv (the data) and drivers_swiss_reference.csv.

data(swiss)
y <- "Fertility"
x <- setdiff(names(swiss), y)
p <- length(x)
data <- cbind(swiss, weight = rep(c(1, 2, 3), length.out = nrow(swiss)))
rownames(data) <- NULL
write.csv(data, "drivers_swiss.csv", row.names = FALSE)

r2 <- function(vars, w) {
  if (length(vars) == 0) return(0)
  summary(lm(reformulate(vars, y), data = data, weights = w))$r.squared
}

lmg <- function(w) {
  sapply(x, function(j) {
    others <- setdiff(x, j)
    total <- 0
    for (k in 0:(p - 1)) {
      subsets <- if (k == 0) list(character(0)) else combn(others, k, simplify = FALSE)
      share <- factorial(k) * factorial(p - k - 1) / factorial(p)
      for (s in subsets) total <- total + share * (r2(c(s, j), w) - r2(s, w))
    }
    total
  })
}

johnson <- function(w) {
  r <- cov.wt(data[, c(x, y)], wt = w / sum(w), cor = TRUE)$cor
  e <- eigen(r[x, x], symmetric = TRUE)
  lambda <- e$vectors %*% diag(sqrt(e$values)) %*% t(e$vectors)
  beta <- solve(lambda, r[x, y])
  setNames(as.vector(lambda^2 %*% beta^2), x)
}

rows <- list()
for (weighted in c(FALSE, TRUE)) {
  w <- if (weighted) data$weight else rep(1, nrow(data))
  values <- list(lmg = lmg(w), johnson = johnson(w), r2 = setNames(r2(x, w), "all"))
  for (metric in names(values)) {
    v <- values[[metric]]
    rows[[length(rows) + 1]] <- data.frame(weighted = weighted, metric = metric, driver = names(v),
                                           value = sprintf("%.15g", v))
  }
}
write.csv(do.call(rbind, rows), "drivers_swiss_reference.csv", row.names = FALSE, quote = FALSE)
