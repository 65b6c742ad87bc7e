// The Double-11 load curve, compressed in time: the multiplier of the base order rate at each
// second of a run, and the phase it belongs to.
//
//   normal  1x                     (the afternoon of 11-10)
//   rise    1x -> rise_to           (from 18:00 on 11-10)
//   step    rise_to -> multiplier   (midnight: within seconds)
//   hold    multiplier              (the first hour of 11-11)
//   decay   multiplier -> 1x        (the night)
//   tail    1x                      (what is left must drain here)
#pragma once

#include <string>
#include <vector>

namespace orderwatch::load {

struct Phase {
  std::string name;
  double start_s = 0;
  double end_s = 0;
  double from = 1;  // multiplier at start_s
  double to = 1;    // multiplier at end_s (linear in between)
};

struct CurveShape {
  double normal_s = 20, rise_s = 20, step_s = 2, hold_s = 60, decay_s = 30, tail_s = 20;
  double rise_to = 2;      // multiplier reached at the end of the rise
  double multiplier = 10;  // the peak
};

class LoadCurve {
 public:
  explicit LoadCurve(const CurveShape& shape);
  // "warmup" (not judged: the first calls meet cold connections) then "steady", both at
  // multiplier 1: the steps of --find-max.
  static LoadCurve Steady(double warmup_s, double seconds);

  double Multiplier(double t_s) const;
  // Index into phases() of the phase holding t_s (the last one past the end).
  int PhaseAt(double t_s) const;
  const std::vector<Phase>& phases() const { return phases_; }
  double total_s() const { return phases_.empty() ? 0 : phases_.back().end_s; }

 private:
  LoadCurve() = default;
  std::vector<Phase> phases_;
};

}  // namespace orderwatch::load
