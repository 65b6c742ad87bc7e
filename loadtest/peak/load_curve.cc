#include "loadtest/peak/load_curve.h"

namespace orderwatch::load {

LoadCurve::LoadCurve(const CurveShape& s) {
  double t = 0;
  auto add = [&](const char* name, double seconds, double from, double to) {
    if (seconds <= 0) return;
    phases_.push_back(Phase{name, t, t + seconds, from, to});
    t += seconds;
  };
  add("normal", s.normal_s, 1, 1);
  add("rise", s.rise_s, 1, s.rise_to);
  add("step", s.step_s, s.rise_s > 0 ? s.rise_to : 1, s.multiplier);
  add("hold", s.hold_s, s.multiplier, s.multiplier);
  add("decay", s.decay_s, s.multiplier, 1);
  add("tail", s.tail_s, 1, 1);
}

LoadCurve LoadCurve::Steady(double warmup_s, double seconds) {
  LoadCurve c;
  c.phases_.push_back(Phase{"warmup", 0, warmup_s, 1, 1});
  c.phases_.push_back(Phase{"steady", warmup_s, warmup_s + seconds, 1, 1});
  return c;
}

int LoadCurve::PhaseAt(double t_s) const {
  for (size_t i = 0; i < phases_.size(); ++i) {
    if (t_s < phases_[i].end_s) return static_cast<int>(i);
  }
  return static_cast<int>(phases_.size()) - 1;
}

double LoadCurve::Multiplier(double t_s) const {
  const Phase& p = phases_[PhaseAt(t_s)];
  const double span = p.end_s - p.start_s;
  const double f = span > 0 ? (t_s - p.start_s) / span : 1;
  return p.from + (p.to - p.from) * (f < 0 ? 0 : f > 1 ? 1 : f);
}

}  // namespace orderwatch::load
