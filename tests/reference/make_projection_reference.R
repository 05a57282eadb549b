# Reference numbers from R's lm for the logit-scale projection (analysis.analyses.targets.project),
# tested in tests/test_targets_ranking.py.  Run once from this folder:  Rscript make_projection_reference.R
#
# Inputs (written here to projection_series.csv): two small yearly index series, proportions:
#   near_top  2017-2024, rising towards 1 (a straight line through it leaves 100% by 2030)
#   level     2014-2023, around 80% with noise
# Output projection_reference.csv: for each series and target year, the line on the logit scale
# back-transformed, predict(lm(qlogis(estimate) ~ year), newdata, interval = "prediction") with plogis,
# and the chance of reaching the target, P(logit value >= qlogis(target)) under the t predictive
# distribution: pt((qlogis(target) - fit) / sqrt(se.fit^2 + sigma^2), df.residual, lower.tail = FALSE).
series <- rbind(
  data.frame(series = "near_top", year = 2017:2024,
             estimate = c(0.80, 0.83, 0.86, 0.88, 0.91, 0.93, 0.95, 0.985)),
  data.frame(series = "level", year = 2014:2023,
             estimate = c(0.781, 0.795, 0.772, 0.808, 0.813, 0.799, 0.826, 0.818, 0.834, 0.829))
)
write.csv(series, "projection_series.csv", row.names = FALSE)
targets <- data.frame(year = c(2025, 2030), target = c(0.90, 0.95))

rows <- list()
for (name in unique(series$series)) {
  d <- series[series$series == name, ]
  fit <- lm(qlogis(estimate) ~ year, data = d)
  band <- predict(fit, targets, interval = "prediction", level = 0.95)
  mean <- predict(fit, targets, se.fit = TRUE)
  se_obs <- sqrt(mean$se.fit^2 + summary(fit)$sigma^2)
  chance <- pt((qlogis(targets$target) - mean$fit) / se_obs, df.residual(fit), lower.tail = FALSE)
  rows[[name]] <- data.frame(series = name, year = targets$year, target = targets$target,
                             projected = plogis(band[, "fit"]), pi_low = plogis(band[, "lwr"]),
                             pi_high = plogis(band[, "upr"]), probability = chance)
}
write.csv(do.call(rbind, rows), "projection_reference.csv", row.names = FALSE)
