/* kg map page, layouts.js: Layouts (force, timeline) and physics.
 * A section of the interface (see page.js): it shares the one scope of page.js. */

  // ------------------------------------------------------------------------------------
  // Layouts and physics
  // ------------------------------------------------------------------------------------

  let animation = null;
  let settledWaiters = [];

  // Resolves once the layout shown has finished moving (at once when nothing moves).
  function settled() {
    return new Promise((resolve) => {
      if (animation === null) resolve();
      else settledWaiters.push(resolve);
    });
  }

  function setLayout(name) {
    if (!layouts[name] || name === state.layout) return;
    setPhysics(false);
    state.layout = name;
    const [tx, ty] = layouts[name];
    const [fromX, fromY] = engine.positions();
    const x = new Float64Array(N);
    const y = new Float64Array(N);
    const started = performance.now();
    const duration = N > 20000 ? 0 : 450;
    if (animation) cancelAnimationFrame(animation);
    const step = (now) => {
      const t = duration ? Math.min(1, (now - started) / duration) : 1;
      const k = t * t * (3 - 2 * t);
      for (let i = 0; i < N; i++) {
        x[i] = fromX[i] + (tx[i] - fromX[i]) * k;
        y[i] = fromY[i] + (ty[i] - fromY[i]) * k;
      }
      engine.setPositions(t < 1 ? x : tx, t < 1 ? y : ty); // drawn at the next frame
      animation = t < 1 ? requestAnimationFrame(step) : null;
      if (animation === null) settledWaiters.splice(0).forEach((resolve) => resolve());
    };
    fitTo(tx, ty, true);
    animation = requestAnimationFrame(step);
    document.querySelectorAll("input[name='kg-layout']").forEach((radio) => {
      radio.checked = radio.value === name;
    });
    updateCounts();
  }

  document.querySelectorAll("input[name='kg-layout']").forEach((radio) => {
    radio.addEventListener("change", () => {
      if (radio.checked) setLayout(radio.value);
    });
  });

  function setPhysics(on) {
    if (on === state.physics) return;
    state.physics = on;
    physicsBox.checked = on;
    engine.setPhysics(on);
    if (!on) {
      // What the simulation did stays, in the layout it ran on.
      const [xs, ys] = engine.positions();
      layouts[state.layout][0].set(xs);
      layouts[state.layout][1].set(ys);
    }
  }

  physicsBox.addEventListener("change", () => setPhysics(physicsBox.checked));
