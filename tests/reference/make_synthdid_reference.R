# Reference numbers from R's synthdid for the synthetic difference-in-differences port
# (analysis.analyses.synthdid), tested in tests/test_synthdid.py.
# Run once from this folder:  Rscript make_synthdid_reference.R
# (R 4.2.2; synthdid 1.1.3 built from github.com/synth-inference/synthdid at commit 70c1ce3 with
#  R CMD INSTALL, mvtnorm from Debian's r-cran-mvtnorm)
#
# Input california_prop99.csv: synthdid's data/california_prop99.csv at 70c1ce3, copied byte for byte
# (';'-separated: State;Year;PacksPerCapita;treated). Cigarette sales per capita (packs) of 39 US states,
# 1970-2000; California treated from 1989 (Proposition 99). Source: Abadie, Diamond and Hainmueller
# (2010), "Synthetic control methods for comparative case studies: estimating the effect of California's
# tobacco control program", JASA 105(490), 493-505; data from web.stanford.edu/~jhain/synthpage.html.
# Published check: Arkhangelsky, Athey, Hirshberg, Imbens and Wager (2021), "Synthetic difference in
# differences", AER 111(12), Table 1: SDID -15.6 (8.4), SC -19.6 (9.9), DID -27.3 (17.7).
#
# Outputs, for estimator in sdid (synthdid_estimate), sc (sc_estimate), did (did_estimate) with defaults:
#   synthdid_reference.csv  estimate, the placebo se sqrt(vcov(method = "placebo", replications = 200))
#                           after set.seed(20240517), the exact placebo se (the same formula over every
#                           control as the placebo unit, see below), N0, T0, noise_level, zeta_omega,
#                           zeta_lambda, min_decrease
#   synthdid_weights.csv    the unit weights omega (control states) and time weights lambda (pre years)
#   synthdid_placebo.csv    the placebo estimate with control j as the treated unit: placebo_se's theta
#                           with ind = c(the other controls in order, j). With one treated unit a placebo
#                           draw depends only on which control comes last, so placebo_se samples these
#                           N0 values; their sd with denominator N0 is the se it converges to.
suppressMessages(library(synthdid))

data <- read.csv("california_prop99.csv", sep = ";", stringsAsFactors = FALSE)
setup <- panel.matrices(data, unit = "State", time = "Year", outcome = "PacksPerCapita", treatment = "treated")
Y <- setup$Y
N0 <- setup$N0
T0 <- setup$T0
estimators <- list(sdid = synthdid_estimate, sc = sc_estimate, did = did_estimate)
seed <- 20240517
replications <- 200

# placebo_se's theta for a given order of the controls (synthdid's R/vcov.R at 70c1ce3)
placebo_estimate <- function(estimate, ind) {
  opts <- attr(estimate, "opts")
  weights <- attr(estimate, "weights")
  weights$omega <- synthdid:::sum_normalize(weights$omega[ind[1:(length(ind) - 1)]])
  do.call(synthdid_estimate, c(list(Y = Y[ind, ], N0 = length(ind) - 1, T0 = T0, weights = weights), opts))
}

summary_rows <- list()
weight_rows <- list()
placebo_rows <- list()
for (name in names(estimators)) {
  estimate <- estimators[[name]](Y, N0, T0)
  set.seed(seed)
  se <- sqrt(vcov(estimate, method = "placebo", replications = replications))[1, 1]
  placebos <- sapply(1:N0, function(j) c(placebo_estimate(estimate, c(setdiff(1:N0, j), j))))
  opts <- attr(estimate, "opts")
  summary_rows[[name]] <- data.frame(
    estimator = name, estimate = c(estimate), se = se, replications = replications, seed = seed,
    se_exact = sqrt(mean((placebos - mean(placebos))^2)), N0 = N0, T0 = T0,
    noise_level = sd(apply(Y[1:N0, 1:T0], 1, diff)), zeta_omega = opts$zeta.omega,
    zeta_lambda = opts$zeta.lambda, min_decrease = opts$min.decrease)
  w <- attr(estimate, "weights")
  weight_rows[[name]] <- rbind(
    data.frame(estimator = name, kind = "omega", name = rownames(Y)[1:N0], weight = w$omega),
    data.frame(estimator = name, kind = "lambda", name = colnames(Y)[1:T0], weight = w$lambda))
  placebo_rows[[name]] <- data.frame(estimator = name, unit = rownames(Y)[1:N0], estimate = placebos)
}
reference <- do.call(rbind, summary_rows)
print(reference[, c("estimator", "estimate", "se", "se_exact")])
# the published figures (AER Table 1, one decimal)
stopifnot(all(round(reference$estimate, 1) == c(-15.6, -19.6, -27.3)))
# the README's example: the placebo se of the synthdid estimate is the sd over these draws
set.seed(seed)
stopifnot(all.equal(reference$se[1], sqrt(vcov(synthdid_estimate(Y, N0, T0), method = "placebo"))[1, 1]))
options(digits = 17)
write.csv(reference, "synthdid_reference.csv", row.names = FALSE)
write.csv(do.call(rbind, weight_rows), "synthdid_weights.csv", row.names = FALSE)
write.csv(do.call(rbind, placebo_rows), "synthdid_placebo.csv", row.names = FALSE)
